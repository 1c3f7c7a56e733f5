//! The lessons: text, a live experiment, and questions to check yourself.
//!
//! Each lesson is a content file, `lessons/NN-slug.md` (Markdown with a TOML
//! front matter; `lesson_file` reads it, with the `files` feature). The lab
//! reads the files, a teacher's folder (`--lessons DIR`) adding or replacing
//! some, and serves each lesson to the app as JSON in these types; `cargo
//! xtask build` writes the same JSON into `dist/lessons/` for static hosts.
//! The facts and order of the fourteen come from the course notes in
//! `shared/seed/how-browsers-talk-to-servers.txt`; the sentences are ours.
//! Each lesson opens at `/lesson/{slug}`; its experiment starts from its
//! first "try" and a share link (see `link`) can carry another state.

use crate::exchange::DEFAULT_TIMEOUT_MS;
use crate::journey::Speed;
use crate::link::{Experiment, Panel};
use serde::{Deserialize, Serialize};

/// A run of text inside a block. Only these exist, so a lesson can never
/// carry raw HTML: the app builds each as an element with text in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Code(String),
    Em(Vec<Inline>),
    Strong(Vec<Inline>),
    /// `href` is an `http(s)://` address or a path on this site (checked when read).
    Link {
        href: String,
        text: Vec<Inline>,
    },
}

impl Inline {
    /// The words of `runs` without their formatting.
    pub fn plain(runs: &[Inline]) -> String {
        let mut out = String::new();
        for r in runs {
            match r {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Em(inner) | Inline::Strong(inner) | Inline::Link { text: inner, .. } => out.push_str(&Inline::plain(inner)),
            }
        }
        out
    }
}

/// One piece of a lesson's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    /// Numbered steps, in order.
    Steps(Vec<Vec<Inline>>),
    /// A table: header cells, then rows (each row's first cell names it).
    Table {
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Preformatted text, shown as it is.
    Code(String),
}

/// What a lesson's experiment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The request bar with ready-made tries, and the result's panels.
    Request,
    /// A page of the lab's fixtures loaded in a frame, its requests counted.
    PageLoad,
    /// Sort tasks into the browser's or the server's job, then check.
    Sort,
    /// What TLS adds: the handshake, what an eavesdropper sees, and a real request.
    Https,
    /// The cookie stepper: set, store, send back, count.
    Cookies,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Request, Kind::PageLoad, Kind::Sort, Kind::Https, Kind::Cookies];

    /// The word a lesson file uses.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::PageLoad => "page-load",
            Kind::Sort => "sort",
            Kind::Https => "https",
            Kind::Cookies => "cookies",
        }
    }
}

/// Where a try's path is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum On {
    /// The server the page came from (or the whole URL given).
    ThisPage,
    /// The lab over HTTPS, where the browser picks h2 (`/lab/https` says where).
    LabH2,
    /// The lab over HTTPS offering http/1.1 only, same certificate.
    LabHttp11,
}

impl On {
    pub const ALL: [On; 3] = [On::ThisPage, On::LabH2, On::LabHttp11];

    pub fn slug(self) -> &'static str {
        match self {
            On::ThisPage => "this-page",
            On::LabH2 => "lab-h2",
            On::LabHttp11 => "lab-http11",
        }
    }
}

/// A ready-made request a lesson offers: one click fills the request bar and sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Try {
    /// The button's words.
    pub label: String,
    pub method: String,
    pub url: String,
    /// Header lines, `Name: value`, one per line.
    pub headers: String,
    pub body: String,
    /// 0 means the default timeout.
    pub timeout_ms: u32,
    /// What the learner should see, said before they see it.
    pub expect: String,
    /// Which server `url` (a path) is sent to.
    pub on: On,
}

impl Try {
    /// This try as an experiment shown on `panel` at `speed`.
    pub fn experiment(&self, speed: Speed, panel: Panel) -> Experiment {
        Experiment {
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            timeout_ms: if self.timeout_ms == 0 { DEFAULT_TIMEOUT_MS } else { self.timeout_ms },
            speed,
            panel,
        }
    }
}

/// A "check yourself" question; the answer is revealed on demand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    pub slug: String,
    pub title: String,
    /// One sentence: the page's `<meta name="description">` and the index line.
    pub summary: String,
    pub text: Vec<Block>,
    pub kind: Kind,
    /// What the experiment asks the learner to do.
    pub task: String,
    /// Ready-made requests; the first is the experiment's default.
    pub tries: Vec<Try>,
    /// The panel the result opens on.
    pub panel: Panel,
    pub speed: Speed,
    pub checks: Vec<Check>,
}

impl Lesson {
    /// The experiment the lesson opens with when a link carries none.
    pub fn default_experiment(&self) -> Experiment {
        match self.tries.first() {
            Some(t) => t.experiment(self.speed, self.panel),
            None => Experiment { speed: self.speed, panel: self.panel, ..Experiment::get("/lab/anything") },
        }
    }

    pub fn entry(&self) -> Entry {
        Entry { slug: self.slug.clone(), title: self.title.clone(), summary: self.summary.clone() }
    }
}

/// The most bytes of JSON the app reads for one lesson
/// (`/lessons/{slug}.json`) or for the index (`/lessons/index.json`).
/// `lesson_file` refuses any file whose lesson would not fit, so whatever
/// the lab or `cargo xtask build` serves, the app can load.
pub const JSON_CAP: usize = 1024 * 1024;

/// The lesson index's heading and lead (the app shows them; the lab paints
/// them into the page before the app has loaded).
pub const INDEX_TITLE: &str = "Lessons: how browsers talk to servers";
pub const INDEX_LEAD: &str = "Short lessons, each with a live experiment that sends real requests. \
Every lesson is a link: send it to someone and they land in the same lesson, with the same experiment ready.";

/// A lesson as the index lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub slug: String,
    pub title: String,
    pub summary: String,
}

/// The index (`/lessons/index.json`): the course in order, and the lesson
/// files that could not be read, each named with its line and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub lessons: Vec<Entry>,
    pub problems: Vec<String>,
}

/// One lesson with its place in the course (`/lessons/{slug}.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonPage {
    pub lesson: Lesson,
    /// 1-based position in the course.
    pub number: usize,
    /// How many lessons the course has.
    pub count: usize,
    pub previous: Option<Entry>,
    pub next: Option<Entry>,
}

impl LessonPage {
    /// The browser tab's title for this lesson.
    pub fn page_title(&self) -> String {
        page_title(self.number, &self.lesson.title)
    }
}

pub fn page_title(number: usize, title: &str) -> String {
    format!("{number}. {title} · Roundtrip")
}

/// The lessons in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Course {
    pub lessons: Vec<Lesson>,
}

impl Course {
    pub fn find(&self, slug: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.slug == slug)
    }

    pub fn index(&self, problems: &[String]) -> Index {
        Index { lessons: self.lessons.iter().map(Lesson::entry).collect(), problems: problems.to_vec() }
    }

    pub fn page(&self, slug: &str) -> Option<LessonPage> {
        let i = self.lessons.iter().position(|l| l.slug == slug)?;
        Some(LessonPage {
            lesson: self.lessons[i].clone(),
            number: i + 1,
            count: self.lessons.len(),
            previous: i.checked_sub(1).map(|p| self.lessons[p].entry()),
            next: self.lessons.get(i + 1).map(Lesson::entry),
        })
    }
}

/// Whether `s` can name a lesson: 1–64 of a–z, 0–9 and inner hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Where a lesson's link may go: an `http(s)://` address, a path on this
/// site, or a `#fragment`; never `javascript:`, `data:`, a protocol-relative
/// `//host` or `/\\host`. Browsers drop tabs and line breaks from a URL
/// (`/\t/evil` is `//evil`), so any whitespace or control character refuses
/// it. The file reader and the app both check.
pub fn safe_href(href: &str) -> bool {
    if href.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let lower = href.to_ascii_lowercase();
    let web = ["https://", "http://"]
        .iter()
        .any(|scheme| lower.strip_prefix(scheme).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/')));
    web || (href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\")) || href.starts_with('#')
}

/// The slug a lesson file's name gives: `03-the-server.md` → `the-server`
/// (the number only orders the course).
pub fn slug_of_file(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".md")?;
    let slug = match stem.find('-') {
        Some(i) if i > 0 && stem[..i].bytes().all(|b| b.is_ascii_digit()) => &stem[i + 1..],
        _ => stem,
    };
    is_slug(slug).then_some(slug)
}

/// Which lessons a learner has done, as kept in localStorage: slugs, comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress(Vec<String>);

impl Progress {
    pub const STORAGE_KEY: &'static str = "roundtrip.lessons.done";

    /// Reads what was stored; anything that cannot be a lesson's slug is dropped.
    pub fn parse(stored: &str) -> Progress {
        let mut p = Progress::default();
        for slug in stored.split(',') {
            p.mark(slug.trim());
        }
        p
    }

    pub fn to_stored(&self) -> String {
        self.0.join(",")
    }

    pub fn is_done(&self, slug: &str) -> bool {
        self.0.iter().any(|s| s == slug)
    }

    /// Marks a lesson done; true when that changed anything.
    pub fn mark(&mut self, slug: &str) -> bool {
        if !is_slug(slug) || self.is_done(slug) {
            return false;
        }
        self.0.push(slug.to_owned());
        true
    }

    /// How many of `lessons` are done (a lesson a teacher removed no longer counts).
    pub fn count_of(&self, lessons: &[Entry]) -> usize {
        lessons.iter().filter(|l| self.is_done(&l.slug)).count()
    }
}

/// Who does a task in a web application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Browser,
    Server,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::Browser => "Browser (client)",
            Side::Server => "Server",
        }
    }
}

/// The sorting experiment's cards (`kind = "sort"`): a task, whose job it is, and why.
pub const SORT_TASKS: &[(&str, Side, &str)] = &[
    ("Drawing the page on the screen", Side::Browser, "Rendering happens where the screen is: the browser turns HTML and CSS into pixels."),
    ("Reacting to a button click", Side::Browser, "The click happens on the learner's device; the browser's JavaScript hears it first."),
    (
        "Letting someone type into a form",
        Side::Browser,
        "Form fields live in the page; the server only sees what is sent when the form is submitted.",
    ),
    (
        "Saying “this e-mail address has no @” before sending",
        Side::Browser,
        "A quick check in the browser saves a round trip. It is a convenience, not a defence: the server must check again.",
    ),
    ("Sending the request", Side::Browser, "The browser always starts the conversation; a server never calls a browser out of the blue."),
    (
        "Deciding whether a password is right",
        Side::Server,
        "Authentication must happen where the learner cannot change the code: on the server.",
    ),
    ("Reading and writing the database", Side::Server, "The database sits next to the server; a browser never talks to it directly."),
    ("Applying the shop's discount rules", Side::Server, "Business rules live on the server, or anyone could edit them in their browser."),
    (
        "Refusing a user who is not allowed in",
        Side::Server,
        "Security checks made only in the browser can be skipped by anyone who sends requests by hand.",
    ),
    (
        "Crunching last year's sales into a report",
        Side::Server,
        "Data processing runs where the data is, and where the work can be trusted.",
    ),
];

/// How many of `answers` (one per task of `SORT_TASKS`, None when not yet
/// sorted) are right.
pub fn sort_score(answers: &[Option<Side>]) -> usize {
    SORT_TASKS.iter().zip(answers).filter(|((_, side, _), answer)| **answer == Some(*side)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(slug: &str) -> Lesson {
        Lesson {
            slug: slug.into(),
            title: slug.to_uppercase(),
            summary: String::new(),
            text: vec![],
            kind: Kind::Sort,
            task: String::new(),
            tries: vec![],
            panel: Panel::Journey,
            speed: Speed::Slow10,
            checks: vec![],
        }
    }

    #[test]
    fn a_page_knows_its_place_in_the_course() {
        let course = Course { lessons: vec![lesson("a"), lesson("b"), lesson("c")] };
        let first = course.page("a").unwrap();
        assert_eq!((first.number, first.count, first.previous.is_none()), (1, 3, true));
        assert_eq!(first.next.unwrap().slug, "b");
        let last = course.page("c").unwrap();
        assert_eq!(last.previous.unwrap().slug, "b");
        assert!(last.next.is_none());
        assert_eq!(course.page("b").unwrap().page_title(), "2. B · Roundtrip");
        assert!(course.page("d").is_none());
        assert_eq!(course.index(&["x.md: bad".into()]).lessons.len(), 3);
    }

    #[test]
    fn slugs_come_from_file_names() {
        assert_eq!(slug_of_file("03-the-server.md"), Some("the-server"));
        assert_eq!(slug_of_file("my-lesson.md"), Some("my-lesson"));
        assert_eq!(slug_of_file("15-dns2.md"), Some("dns2"));
        assert_eq!(slug_of_file("Notes.md"), None);
        assert_eq!(slug_of_file("03-.md"), None);
        assert_eq!(slug_of_file("a b.md"), None);
        assert_eq!(slug_of_file("lesson.txt"), None);
        assert!(!is_slug(&"a".repeat(65)));
    }

    #[test]
    fn only_web_links_paths_and_fragments_are_safe() {
        for ok in ["https://example.com/a?b#c", "http://a", "/lesson/urls", "/", "#top", "HTTPS://EXAMPLE.COM"] {
            assert!(safe_href(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil",
            "/\r/evil",
            "\t//evil",
            "https://",
            "http:///x",
            " /x",
            "vbscript:x",
            "mailto:a@b",
            "lesson/urls",
            "",
        ] {
            assert!(!safe_href(bad), "{bad:?}");
        }
    }

    #[test]
    fn progress_keeps_only_slugs_once_and_counts_what_the_course_has() {
        let mut p = Progress::parse("cookies, nonsense,,cookies,<script>,urls");
        assert_eq!(p.to_stored(), "cookies,nonsense,urls");
        assert!(p.mark("methods"));
        assert!(!p.mark("methods"));
        assert!(!p.mark("Not A Lesson"));
        assert!(p.is_done("methods"));
        let course = Course { lessons: vec![lesson("cookies"), lesson("methods"), lesson("status-codes")] };
        assert_eq!(p.count_of(&course.index(&[]).lessons), 2);
        assert_eq!(Progress::parse("").count_of(&course.index(&[]).lessons), 0);
    }

    #[test]
    fn a_page_goes_through_json_unchanged() {
        let course = Course { lessons: vec![lesson("a"), lesson("b")] };
        let page = course.page("b").unwrap();
        let json = serde_json::to_string(&page).unwrap();
        assert_eq!(serde_json::from_str::<LessonPage>(&json).unwrap(), page);
    }

    #[test]
    fn sorting_scores_only_right_answers() {
        let all_right: Vec<_> = SORT_TASKS.iter().map(|(_, s, _)| Some(*s)).collect();
        assert_eq!(sort_score(&all_right), SORT_TASKS.len());
        assert_eq!(sort_score(&vec![None; SORT_TASKS.len()]), 0);
        let all_browser = vec![Some(Side::Browser); SORT_TASKS.len()];
        assert_eq!(sort_score(&all_browser), SORT_TASKS.iter().filter(|(_, s, _)| *s == Side::Browser).count());
    }
}
