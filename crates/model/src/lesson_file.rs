//! Reading a lesson file (feature `files`): a TOML front matter between `+++`
//! lines, then the lesson's text in Markdown.
//!
//! ```text
//! +++
//! title = "Status codes"
//! summary = "One sentence for the index and link previews."
//! kind = "request"            # request, https, page-load, sort, cookies
//! panel = "journey"           # journey (default), raw, headers, timing, body
//! task = "What the experiment asks the learner to do."
//!
//! [[try]]                     # ready-made requests; the first is the default
//! label = "A missing page"
//! url = "/lab/status/404"     # method = "GET", headers, body, timeout_ms, on
//! expect = "404 Not Found."
//!
//! [[check]]
//! question = "Who sends a status code?"
//! answer = "The server."
//! +++
//! Paragraphs, `code`, *emphasis*, **strong**, [links](https://example.com),
//! lists (`-`), steps (`1.`), tables and fenced code.
//! ```
//!
//! Only that subset is read. Raw HTML, headings, images and quotes are
//! refused with the file's line and why, never passed through: what a lesson
//! says reaches the page as text. The Markdown itself is read by
//! pulldown-cmark and the front matter by the toml crate (both give the
//! positions the errors need).

use crate::exchange::METHODS;
use crate::journey::Speed;
use crate::lessons::{is_slug, safe_href, slug_of_file, Block, Check, Course, Inline, Kind, Lesson, On, Try, JSON_CAP};
use crate::link::Panel;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

/// The largest lesson file read (a lesson is a few kilobytes).
pub const MAX_FILE: usize = 256 * 1024;
/// The most lesson files one folder may hold.
pub const MAX_FILES: usize = 200;
/// How deep emphasis and links may nest (text is built recursively).
const MAX_NESTING: usize = 8;
/// A table's columns, its rows (below the head), and the table cells of
/// a whole lesson (a row shorter than the head is filled up to it).
pub const MAX_COLUMNS: usize = 12;
pub const MAX_ROWS: usize = 100;
pub const MAX_CELLS: usize = 1200;
/// Items of one list, and the blocks of a lesson (paragraphs, lists,
/// tables, code blocks).
pub const MAX_ITEMS: usize = 100;
pub const MAX_BLOCKS: usize = 300;
/// Runs of text (plain, `code`, emphasis, links) in a lesson's text.
pub const MAX_RUNS: usize = 4000;
/// A link's address, in bytes (a reference link repeats it at each use).
pub const MAX_HREF: usize = 2048;
/// Tries and checks of one lesson; the title's characters.
pub const MAX_TRIES: usize = 20;
pub const MAX_CHECKS: usize = 30;
pub const MAX_TITLE: usize = 100;
/// The lesson's own JSON, at most: half of what the app reads, which
/// leaves room for the page's place in the course (its neighbours' titles
/// and summaries). The bounds above keep a file's JSON near its size; this
/// is the last word for any file they let through.
pub const MAX_LESSON_JSON: usize = JSON_CAP / 2;
/// How long a message about a file may be, in characters, once escaped.
const MAX_MESSAGE: usize = 240;

/// What is wrong with a lesson file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    /// 1-based; 0 when the whole file is concerned.
    pub line: usize,
    pub message: String,
}

/// Printed to a teacher's terminal and shown on the lesson index: the file
/// name and the message escaped ([`printable`]), and cut short, so that no
/// byte from a file reaches a terminal as a control sequence.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = clip(&printable(&self.file), 80);
        let message = clip(&printable(&self.message), MAX_MESSAGE);
        if self.line == 0 {
            write!(f, "{file}: {message}")
        } else {
            write!(f, "{file}, line {}: {message}", self.line)
        }
    }
}

/// `s` with every control character (an escape sequence's ESC, BEL, a
/// carriage return, DEL, the C1 range) and every bidirectional override
/// written out as `\u{1b}`: what a file holds, shown, never obeyed by the
/// terminal it is printed to.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max` characters of `s`, with "…" when cut.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// A value from the file inside a message: cut short (it is escaped when
/// the message is printed).
fn quoted(s: &str) -> String {
    format!("“{}”", clip(s, 60))
}

/// The first character of `s` no lesson may hold: a control character but
/// a line break or a tab.
fn control_in(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: Spanned<String>,
    summary: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    panel: Option<Spanned<String>>,
    /// How much slower than real time the journey plays: "1", "10" (default) or "100".
    #[serde(default)]
    speed: Option<Spanned<String>>,
    task: Spanned<String>,
    #[serde(default, rename = "try")]
    tries: Vec<FrontTry>,
    #[serde(default, rename = "check")]
    checks: Vec<FrontCheck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontTry {
    label: Spanned<String>,
    #[serde(default)]
    method: Option<Spanned<String>>,
    url: Spanned<String>,
    #[serde(default)]
    headers: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    timeout_ms: Option<Spanned<u32>>,
    expect: String,
    #[serde(default)]
    on: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontCheck {
    question: Spanned<String>,
    answer: Spanned<String>,
}

/// Reads one lesson file named `name` (its slug comes from the name).
pub fn parse(name: &str, text: &str) -> Result<Lesson, FileError> {
    let err = |line: usize, message: String| FileError { file: name.to_owned(), line, message };
    let slug = slug_of_file(name).ok_or_else(|| {
        err(0, "the file name must be the lesson's slug (a–z, 0–9 and hyphens), optionally after a number that orders the course, and end in .md: e.g. 15-my-lesson.md".into())
    })?;
    if text.len() > MAX_FILE {
        return Err(err(0, format!("{} bytes is more than the {MAX_FILE} a lesson file may have", text.len())));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err(err(
            1,
            "a lesson file starts with a line “+++”, then its front matter (title, summary, kind, task…), then “+++” again".into(),
        ));
    }
    let front_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = front_start;
    let mut front_end = None;
    for l in lines {
        if l.trim_end() == "+++" {
            front_end = Some(offset);
            break;
        }
        offset += l.len();
    }
    let Some(front_end) = front_end else {
        return Err(err(1, "the front matter is never closed: add a line “+++” after it".into()));
    };
    let body_start = text[front_end..].find('\n').map_or(text.len(), |i| front_end + i + 1);
    let front_src = &text[front_start..front_end];
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let at = |span: Range<usize>| line_of(front_start + span.start);

    let front: Front = toml::from_str(front_src).map_err(|e| {
        let line = e.span().map_or(2, &at);
        err(line, format!("in the front matter: {}", e.message().trim()))
    })?;

    // What a file may not hold in any value: control characters (shown as
    // text they are garbage; printed to a terminal, commands), too many
    // tries or checks, a title longer than a heading.
    let no_control = |value: &str, span: Range<usize>, what: &str| match control_in(value) {
        Some(c) => Err(err(at(span), format!("{what} holds a control character (U+{:04X}), which a lesson may not", c as u32))),
        None => Ok(()),
    };
    for (field, what) in [(&front.title, "the title"), (&front.summary, "the summary"), (&front.kind, "kind"), (&front.task, "the task")] {
        no_control(field.get_ref(), field.span(), what)?;
    }
    for (field, what) in [(&front.panel, "panel"), (&front.speed, "speed")] {
        if let Some(f) = field {
            no_control(f.get_ref(), f.span(), what)?;
        }
    }
    if front.title.get_ref().trim().chars().count() > MAX_TITLE {
        return Err(err(at(front.title.span()), format!("the title is longer than {MAX_TITLE} characters")));
    }
    if let Some(extra) = front.tries.get(MAX_TRIES) {
        return Err(err(at(extra.label.span()), format!("a lesson has at most {MAX_TRIES} [[try]]s")));
    }
    if let Some(extra) = front.checks.get(MAX_CHECKS) {
        return Err(err(at(extra.question.span()), format!("a lesson has at most {MAX_CHECKS} [[check]]s")));
    }
    for t in &front.tries {
        let span = t.label.span();
        no_control(t.label.get_ref(), span.clone(), "a try's label")?;
        no_control(t.url.get_ref(), t.url.span(), "a try's url")?;
        no_control(&t.headers, span.clone(), "a try's headers")?;
        no_control(&t.body, span.clone(), "a try's body")?;
        no_control(&t.expect, span.clone(), "a try's expect")?;
        for f in [&t.method, &t.on].into_iter().flatten() {
            no_control(f.get_ref(), f.span(), "a try's field")?;
        }
    }
    for c in &front.checks {
        no_control(c.question.get_ref(), c.question.span(), "a check's question")?;
        no_control(c.answer.get_ref(), c.answer.span(), "a check's answer")?;
    }

    let need = |field: &Spanned<String>, what: &str| -> Result<String, FileError> {
        let v = field.get_ref().trim();
        if v.is_empty() {
            Err(err(at(field.span()), format!("{what} is empty")))
        } else {
            Ok(v.to_owned())
        }
    };
    let kind = Kind::ALL.into_iter().find(|k| k.slug() == front.kind.get_ref()).ok_or_else(|| {
        err(at(front.kind.span()), format!("kind {} is not one of {}", quoted(front.kind.get_ref()), list(Kind::ALL.map(Kind::slug))))
    })?;
    let panel = match &front.panel {
        None => Panel::Journey,
        Some(p) => Panel::from_slug(p.get_ref()).ok_or_else(|| {
            err(at(p.span()), format!("panel {} is not one of {}", quoted(p.get_ref()), list(Panel::ALL.map(Panel::slug))))
        })?,
    };
    let speed = match &front.speed {
        None => Speed::Slow10,
        Some(s) => Speed::from_slug(s.get_ref()).ok_or_else(|| {
            err(
                at(s.span()),
                format!("speed {} is not one of {} (times slower than real time)", quoted(s.get_ref()), list(Speed::ALL.map(Speed::slug))),
            )
        })?,
    };
    let summary = need(&front.summary, "the summary")?;
    if summary.chars().count() > 160 {
        return Err(err(
            at(front.summary.span()),
            "the summary is longer than 160 characters (search results and chat previews cut it)".into(),
        ));
    }
    let mut tries = Vec::new();
    for t in &front.tries {
        let method = match &t.method {
            None => "GET".to_owned(),
            Some(m) => {
                let upper = m.get_ref().trim().to_ascii_uppercase();
                if !METHODS.contains(&upper.as_str()) {
                    return Err(err(
                        at(m.span()),
                        format!("method {} is not one of {}", quoted(m.get_ref()), list(METHODS.iter().copied())),
                    ));
                }
                upper
            }
        };
        let on = match &t.on {
            None => On::ThisPage,
            Some(o) => On::ALL
                .into_iter()
                .find(|v| v.slug() == o.get_ref())
                .ok_or_else(|| err(at(o.span()), format!("on {} is not one of {}", quoted(o.get_ref()), list(On::ALL.map(On::slug)))))?,
        };
        let t = Try {
            label: need(&t.label, "a try's label")?,
            method,
            url: need(&t.url, "a try's url")?,
            headers: t.headers.trim().to_owned(),
            body: t.body.clone(),
            timeout_ms: t.timeout_ms.as_ref().map_or(0, |s| *s.get_ref()),
            expect: t.expect.trim().to_owned(),
            on,
        };
        // The same rules as a share link's fields (length, URL, headers, timeout).
        if let Err(problem) = t.experiment(speed, panel).validate() {
            let span = front.tries.iter().find(|f| f.label.get_ref().trim() == t.label).map_or(0..0, |f| f.label.span());
            return Err(err(at(span), format!("the try {} cannot be sent: {problem}", quoted(&t.label))));
        }
        tries.push(t);
    }
    if matches!(kind, Kind::Request | Kind::Https) && tries.is_empty() {
        return Err(err(at(front.kind.span()), format!("a “{}” lesson needs at least one [[try]] to send", kind.slug())));
    }
    let mut checks = Vec::new();
    for c in &front.checks {
        checks.push(Check { question: need(&c.question, "a check's question")?, answer: c.answer.get_ref().trim().to_owned() });
    }
    let text_blocks = markdown(&text[body_start..]).map_err(|(at, message)| err(line_of(body_start + at), message))?;
    if text_blocks.is_empty() {
        return Err(err(line_of(body_start), "the lesson has no text after the front matter".into()));
    }
    let lesson = Lesson {
        slug: slug.to_owned(),
        title: need(&front.title, "the title")?,
        summary,
        text: text_blocks,
        kind,
        task: need(&front.task, "the task")?,
        tries,
        panel,
        speed,
        checks,
    };
    // The last word: what the app is sent must be what it reads.
    let json = serde_json::to_string(&lesson).map_or(usize::MAX, |j| j.len());
    if json > MAX_LESSON_JSON {
        return Err(err(
            0,
            format!("as the app receives it (JSON) the lesson is {json} bytes, more than the {MAX_LESSON_JSON} a lesson may have: shorten it or make two"),
        ));
    }
    Ok(lesson)
}

fn list<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    words.into_iter().map(|w| format!("“{w}”")).collect::<Vec<_>>().join(", ")
}

/// The Markdown subset, as blocks; an error is (byte offset, why).
fn markdown(src: &str) -> Result<Vec<Block>, (usize, String)> {
    let mut blocks = Vec::new();
    // Inline runs being built: each frame is (what closes it, runs so far).
    let mut frames: Vec<(Frame, Vec<Inline>)> = Vec::new();
    let mut items: Vec<Vec<Inline>> = Vec::new();
    let mut list: Option<bool> = None; // Some(numbered)
    let mut head: Vec<Vec<Inline>> = Vec::new();
    let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
    let mut row: Vec<Vec<Inline>> = Vec::new();
    let mut code: Option<String> = None;
    // What the bounds count: blocks, table cells and runs of the lesson.
    let (mut block_count, mut cells, mut run_count) = (0, 0, 0);
    for (event, range) in Parser::new_ext(src, Options::ENABLE_TABLES).into_offset_iter() {
        let at = range.start;
        let starts_block = match &event {
            Event::Start(Tag::Paragraph) => list.is_none(),
            Event::Start(Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(_)) => true,
            _ => false,
        };
        if starts_block {
            block_count += 1;
            if block_count > MAX_BLOCKS {
                return Err((at, format!("a lesson has at most {MAX_BLOCKS} paragraphs, lists, tables and code blocks")));
            }
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    // A paragraph inside a list item joins the item's text.
                    if list.is_none() {
                        frames.push((Frame::Block, Vec::new()));
                    } else if let Some((_, runs)) = frames.last_mut() {
                        if !runs.is_empty() {
                            runs.push(Inline::Text(" ".into()));
                        }
                    }
                }
                Tag::List(start) => {
                    if list.is_some() {
                        return Err((at, "a list inside a list is not supported: keep lists one level deep".into()));
                    }
                    list = Some(start.is_some());
                }
                Tag::Item if items.len() >= MAX_ITEMS => return Err((at, format!("a list has at most {MAX_ITEMS} items"))),
                Tag::Item => frames.push((Frame::Block, Vec::new())),
                Tag::Table(_) | Tag::CodeBlock(_) if list.is_some() => {
                    return Err((at, "tables and code blocks cannot sit inside a list item: end the list first".into()))
                }
                Tag::Table(columns) if columns.len() > MAX_COLUMNS => {
                    return Err((at, format!("this table has {} columns; a table has at most {MAX_COLUMNS}", columns.len())))
                }
                Tag::Table(_) | Tag::TableHead => {}
                Tag::TableRow if rows.len() >= MAX_ROWS => {
                    return Err((at, format!("a table has at most {MAX_ROWS} rows below its head: make two tables, or a list")))
                }
                Tag::TableRow => row.clear(),
                Tag::TableCell => {
                    cells += 1;
                    if cells > MAX_CELLS {
                        return Err((at, format!("the lesson's tables have more than {MAX_CELLS} cells in all")));
                    }
                    frames.push((Frame::Block, Vec::new()))
                }
                Tag::CodeBlock(_) => code = Some(String::new()),
                Tag::Emphasis | Tag::Strong | Tag::Link { .. } if frames.len() >= MAX_NESTING => {
                    return Err((at, format!("emphasis and links nest more than {MAX_NESTING} deep here")))
                }
                Tag::Emphasis => frames.push((Frame::Em, Vec::new())),
                Tag::Strong => frames.push((Frame::Strong, Vec::new())),
                Tag::Link { dest_url, .. } => {
                    let href = dest_url.to_string();
                    if href.len() > MAX_HREF {
                        return Err((at, format!("a link's address is longer than {MAX_HREF} bytes")));
                    }
                    if !safe_href(&href) {
                        return Err((at, format!("the link to {} is not allowed: links go to http:// or https:// addresses, or to a path on this site such as /lesson/cookies", quoted(&href))));
                    }
                    frames.push((Frame::Link(href), Vec::new()));
                }
                Tag::Heading { .. } => {
                    return Err((
                        at,
                        "headings are not supported: the title comes from the front matter, and the page adds its own sections".into(),
                    ))
                }
                Tag::Image { .. } => return Err((at, "images are not supported in lessons".into())),
                Tag::BlockQuote(_) => return Err((at, "quotes (“>”) are not supported: write a paragraph".into())),
                Tag::HtmlBlock => {
                    return Err((at, "raw HTML is not allowed in a lesson: write the words as Markdown (they are shown as text)".into()))
                }
                other => return Err((at, format!("this Markdown is not supported in lessons ({other:?})"))),
            },
            Event::End(end) => match end {
                TagEnd::Paragraph if list.is_none() => {
                    let (_, runs) = frames.pop().unwrap_or((Frame::Block, Vec::new()));
                    blocks.push(Block::Para(tidy(runs)));
                }
                TagEnd::Item => items.push(tidy(frames.pop().map(|f| f.1).unwrap_or_default())),
                TagEnd::List(_) => {
                    let done = std::mem::take(&mut items);
                    blocks.push(if list == Some(true) { Block::Steps(done) } else { Block::List(done) });
                    list = None;
                }
                TagEnd::TableCell => row.push(tidy(frames.pop().map(|f| f.1).unwrap_or_default())),
                TagEnd::TableHead => head = std::mem::take(&mut row),
                TagEnd::TableRow => rows.push(std::mem::take(&mut row)),
                TagEnd::Table => blocks.push(Block::Table { head: std::mem::take(&mut head), rows: std::mem::take(&mut rows) }),
                TagEnd::CodeBlock => {
                    let mut text = code.take().unwrap_or_default();
                    if text.ends_with('\n') {
                        text.pop();
                    }
                    blocks.push(Block::Code(text));
                }
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link => {
                    let (frame, runs) = frames.pop().unwrap_or((Frame::Block, Vec::new()));
                    let run = match frame {
                        Frame::Em => Inline::Em(runs),
                        Frame::Strong => Inline::Strong(runs),
                        Frame::Link(href) => Inline::Link { href, text: runs },
                        Frame::Block => Inline::Text(Inline::plain(&runs)),
                    };
                    push(&mut frames, run, at, &mut run_count)?;
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) if control_in(&t).is_some() => {
                let c = control_in(&t).unwrap_or_default();
                return Err((at, format!("a control character (U+{:04X}) is not allowed in a lesson's text", c as u32)));
            }
            Event::Text(t) => match code.as_mut() {
                Some(c) => c.push_str(&t),
                None => push(&mut frames, Inline::Text(t.to_string()), at, &mut run_count)?,
            },
            Event::Code(t) => push(&mut frames, Inline::Code(t.to_string()), at, &mut run_count)?,
            Event::SoftBreak | Event::HardBreak => push(&mut frames, Inline::Text(" ".into()), at, &mut run_count)?,
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err((
                    at,
                    "raw HTML is not allowed in a lesson: write the words as Markdown (they are shown as text; “<” can be written as \\<)"
                        .into(),
                ))
            }
            Event::Rule => return Err((at, "horizontal rules (---) are not supported in lessons".into())),
            other => return Err((at, format!("this Markdown is not supported in lessons ({other:?})"))),
        }
    }
    Ok(blocks)
}

enum Frame {
    Block,
    Em,
    Strong,
    Link(String),
}

/// Adds `run` to the innermost frame; `count` counts the lesson's runs
/// against [`MAX_RUNS`].
fn push(frames: &mut [(Frame, Vec<Inline>)], run: Inline, at: usize, count: &mut usize) -> Result<(), (usize, String)> {
    match frames.last_mut() {
        Some((_, runs)) => {
            // Adjacent text (split by the parser at escapes) is one run.
            if let (Inline::Text(new), Some(Inline::Text(last))) = (&run, runs.last_mut()) {
                last.push_str(new);
            } else {
                *count += 1;
                if *count > MAX_RUNS {
                    return Err((at, format!("the lesson's text has more than {MAX_RUNS} runs of text, code, emphasis and links")));
                }
                runs.push(run);
            }
            Ok(())
        }
        None => Err((at, "text outside any paragraph, list or table".into())),
    }
}

/// Runs with their outer spaces trimmed (line breaks read as spaces).
fn tidy(mut runs: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = runs.first_mut() {
        *t = t.trim_start().to_owned();
    }
    if let Some(Inline::Text(t)) = runs.last_mut() {
        *t = t.trim_end().to_owned();
    }
    runs.retain(|r| !matches!(r, Inline::Text(t) if t.is_empty()));
    runs
}

/// The course from the project's lesson files, then a teacher's: a teacher's
/// file with a lesson's slug replaces it and keeps its place; a new slug
/// joins the course by its file name's number (`9-x.md` before `10-y.md`),
/// then its name. A file that cannot be read is left out and named in the
/// problems; the rest still load. Hidden files (an editor's `.#x.md`) are
/// not lessons. Also says how many of the course's lessons are the teacher's.
pub fn course(base: &[(String, String)], teacher: &[(String, String)]) -> (Course, Vec<FileError>, usize) {
    let mut problems = Vec::new();
    // slug -> (the key that orders it, from the teacher, the lesson)
    let mut by_slug: HashMap<String, ((u64, String), bool, Lesson)> = HashMap::new();
    for (set, files) in [(0, base), (1, teacher)] {
        let mut sorted: Vec<&(String, String)> = files.iter().filter(|(name, _)| !name.starts_with('.')).collect();
        sorted.sort_by_key(|(name, _)| order_key(name));
        let mut seen: HashMap<String, String> = HashMap::new();
        for (name, text) in sorted {
            match parse(name, text) {
                Err(e) => problems.push(e),
                Ok(lesson) => {
                    if let Some(first) = seen.get(&lesson.slug) {
                        problems.push(FileError {
                            file: name.clone(),
                            line: 0,
                            message: format!("the lesson {} is also in {first}; this file was left out", quoted(&lesson.slug)),
                        });
                        continue;
                    }
                    seen.insert(lesson.slug.clone(), name.clone());
                    let order = match by_slug.get(&lesson.slug) {
                        Some((order, ..)) if set == 1 => order.clone(),
                        _ => order_key(name),
                    };
                    by_slug.insert(lesson.slug.clone(), (order, set == 1, lesson));
                }
            }
        }
    }
    let mut all: Vec<((u64, String), bool, Lesson)> = by_slug.into_values().collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    debug_assert!(all.iter().all(|l| is_slug(&l.2.slug)));
    let from_teacher = all.iter().filter(|l| l.1).count();
    (Course { lessons: all.into_iter().map(|l| l.2).collect() }, problems, from_teacher)
}

/// `9-x.md` → (9, name); a name without a number comes after every numbered one.
fn order_key(name: &str) -> (u64, String) {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    let number = if name[digits.len()..].starts_with('-') { digits.parse().unwrap_or(u64::MAX) } else { u64::MAX };
    (number, name.to_owned())
}

/// A lesson written back as a file (the inverse of `parse`), so that a
/// course made in code could become files; the tests check the round trip.
pub fn write(lesson: &Lesson) -> String {
    let q = |s: &str| toml_string(s);
    let mut out = String::from("+++\n");
    out += &format!("title = {}\n", q(&lesson.title));
    out += &format!("summary = {}\n", q(&lesson.summary));
    out += &format!("kind = {}\n", q(lesson.kind.slug()));
    if lesson.panel != Panel::Journey {
        out += &format!("panel = {}\n", q(lesson.panel.slug()));
    }
    if lesson.speed != Speed::Slow10 {
        out += &format!("speed = {}\n", q(lesson.speed.slug()));
    }
    out += &format!("task = {}\n", q(&lesson.task));
    for t in &lesson.tries {
        out += &format!("\n[[try]]\nlabel = {}\n", q(&t.label));
        if t.method != "GET" {
            out += &format!("method = {}\n", q(&t.method));
        }
        out += &format!("url = {}\n", q(&t.url));
        if !t.headers.is_empty() {
            out += &format!("headers = {}\n", q(&t.headers));
        }
        if !t.body.is_empty() {
            out += &format!("body = {}\n", q(&t.body));
        }
        if t.timeout_ms != 0 {
            out += &format!("timeout_ms = {}\n", t.timeout_ms);
        }
        if t.on != On::ThisPage {
            out += &format!("on = {}\n", q(t.on.slug()));
        }
        out += &format!("expect = {}\n", q(&t.expect));
    }
    for c in &lesson.checks {
        out += &format!("\n[[check]]\nquestion = {}\nanswer = {}\n", q(&c.question), q(&c.answer));
    }
    out += "+++\n";
    for (i, b) in lesson.text.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match b {
            Block::Para(runs) => out += &format!("{}\n", md_runs(runs, false)),
            Block::List(items) => items.iter().for_each(|i| out += &format!("- {}\n", md_runs(i, false))),
            Block::Steps(items) => items.iter().enumerate().for_each(|(n, i)| out += &format!("{}. {}\n", n + 1, md_runs(i, false))),
            Block::Table { head, rows } => {
                let line =
                    |cells: &[Vec<Inline>]| format!("| {} |\n", cells.iter().map(|c| md_runs(c, true)).collect::<Vec<_>>().join(" | "));
                out += &line(head);
                out += &format!("|{}\n", "---|".repeat(head.len()));
                rows.iter().for_each(|r| out += &line(r));
            }
            Block::Code(text) => out += &format!("```\n{text}\n```\n"),
        }
    }
    out
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn md_runs(runs: &[Inline], in_table: bool) -> String {
    runs.iter()
        .map(|r| match r {
            Inline::Text(t) => md_escape(t, in_table),
            Inline::Code(t) => {
                let fence = if t.contains('`') { "``" } else { "`" };
                format!("{fence}{t}{fence}")
            }
            Inline::Em(inner) => format!("*{}*", md_runs(inner, in_table)),
            Inline::Strong(inner) => format!("**{}**", md_runs(inner, in_table)),
            Inline::Link { href, text } => format!("[{}]({href})", md_runs(text, in_table)),
        })
        .collect()
}

fn md_escape(text: &str, in_table: bool) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        let special = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '!')
            || (c == '|' && in_table)
            || (i == 0 && matches!(c, '#' | '-' | '+' | '=' | '~'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. " at the start would read as a numbered list.
    if let Some(dot) = out.find(". ") {
        if dot > 0 && out[..dot].bytes().all(|b| b.is_ascii_digit()) {
            out.insert(dot, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "+++\ntitle = \"DNS\"\nsummary = \"Names become addresses.\"\nkind = \"request\"\ntask = \"Ask for a page.\"\n\n[[try]]\nlabel = \"Ask\"\nurl = \"/lab/get\"\nexpect = \"200 OK.\"\n\n[[check]]\nquestion = \"Who asks?\"\nanswer = \"The browser.\"\n+++\nA *name* is `looked up`, see [the notes](/lesson/urls).\n\n- one\n- two\n\n1. first\n2. second\n\n| A | B |\n|---|---|\n| x \\| y | z |\n\n```\nGET / HTTP/1.1\n```\n";

    fn err(name: &str, text: &str) -> String {
        parse(name, text).unwrap_err().to_string()
    }

    #[test]
    fn a_minimal_lesson_reads_into_the_model() {
        let l = parse("15-dns.md", MINIMAL).unwrap();
        assert_eq!(
            (l.slug.as_str(), l.title.as_str(), l.kind, l.panel, l.speed),
            ("dns", "DNS", Kind::Request, Panel::Journey, Speed::Slow10)
        );
        assert_eq!(l.tries[0].method, "GET");
        assert_eq!(l.checks[0].answer, "The browser.");
        assert_eq!(
            l.text[0],
            Block::Para(vec![
                Inline::Text("A ".into()),
                Inline::Em(vec![Inline::Text("name".into())]),
                Inline::Text(" is ".into()),
                Inline::Code("looked up".into()),
                Inline::Text(", see ".into()),
                Inline::Link { href: "/lesson/urls".into(), text: vec![Inline::Text("the notes".into())] },
                Inline::Text(".".into()),
            ])
        );
        assert_eq!(l.text[1], Block::List(vec![vec![Inline::Text("one".into())], vec![Inline::Text("two".into())]]));
        assert!(matches!(&l.text[2], Block::Steps(s) if s.len() == 2));
        assert_eq!(
            l.text[3],
            Block::Table {
                head: vec![vec![Inline::Text("A".into())], vec![Inline::Text("B".into())]],
                rows: vec![vec![vec![Inline::Text("x | y".into())], vec![Inline::Text("z".into())]]]
            }
        );
        assert_eq!(l.text[4], Block::Code("GET / HTTP/1.1".into()));
        assert_eq!(parse("15-dns.md", &write(&l)).unwrap(), l);
    }

    #[test]
    fn each_mistake_is_named_with_its_line() {
        assert_eq!(
            err("dns.md", &MINIMAL.replace("kind = \"request\"", "kind = \"lecture\"")),
            "dns.md, line 4: kind “lecture” is not one of “request”, “page-load”, “sort”, “https”, “cookies”"
        );
        assert!(err("dns.md", &MINIMAL.replace("title = \"DNS\"", "titel = \"DNS\""))
            .starts_with("dns.md, line 2: in the front matter: unknown field `titel`"));
        assert!(
            err("dns.md", &MINIMAL.replace("title = \"DNS\"\n", ""))
                .starts_with("dns.md, line 2: in the front matter: missing field `title`"),
            "{}",
            err("dns.md", &MINIMAL.replace("title = \"DNS\"\n", ""))
        );
        assert_eq!(
            err("dns.md", &MINIMAL.replace("url = \"/lab/get\"", "url = \"/lab/get\"\nmethod = \"FETCH\"")),
            "dns.md, line 10: method “FETCH” is not one of “GET”, “POST”, “PUT”, “PATCH”, “DELETE”, “HEAD”, “OPTIONS”"
        );
        assert_eq!(
            err("dns.md", &MINIMAL.replace("A *name*", "<script>alert(1)</script>\n\nA *name*")),
            "dns.md, line 16: raw HTML is not allowed in a lesson: write the words as Markdown (they are shown as text)"
        );
        assert!(err("dns.md", &MINIMAL.replace("A *name*", "A <b>name</b>")).starts_with("dns.md, line 16: raw HTML is not allowed"));
        assert!(err("dns.md", &MINIMAL.replace("(/lesson/urls)", "(javascript:alert(1))"))
            .starts_with("dns.md, line 16: the link to “javascript:alert(1)” is not allowed"));
        assert!(err("dns.md", &MINIMAL.replace("(/lesson/urls)", "(//evil.example)")).contains("is not allowed"));
        // Entities are decoded in link addresses, and browsers drop tabs and line breaks from URLs.
        for sneaky in ["(/&#9;/evil.example)", "(/&#10;/evil.example)", "(<https:&#9;//x>)", "(jav&#x61;script:alert(1))", "(/&#9;\\evil)"]
        {
            assert!(err("dns.md", &MINIMAL.replace("(/lesson/urls)", sneaky)).contains("is not allowed"), "{sneaky}");
        }
        let deep: String = (0..12).map(|i| if i % 2 == 0 { "*w " } else { "_w " }).collect::<String>()
            + "x"
            + &(0..12).rev().map(|i| if i % 2 == 0 { " w*" } else { " w_" }).collect::<String>();
        assert!(
            err("dns.md", &MINIMAL.replace("A *name*", &deep)).contains("nest more than 8 deep"),
            "{}",
            err("dns.md", &MINIMAL.replace("A *name*", &deep))
        );
        assert!(err("dns.md", &MINIMAL.replace("- two", "- two\n\n  ```\n  code\n  ```")).contains("cannot sit inside a list item"));
        assert!(err("dns.md", &MINIMAL.replace("- one", "# Heading\n\n- one")).starts_with("dns.md, line 18: headings are not supported"));
        assert!(err("dns.md", &MINIMAL.replace("- two", "- two\n  - nested")).starts_with("dns.md, line 20: a list inside a list"));
        assert_eq!(
            err("dns.md", &MINIMAL.replacen("+++\n", "", 1)),
            "dns.md, line 1: a lesson file starts with a line “+++”, then its front matter (title, summary, kind, task…), then “+++” again"
        );
        assert!(err("dns.md", "+++\ntitle = \"x\"\n").ends_with("the front matter is never closed: add a line “+++” after it"));
        assert!(err("Bad Name.md", MINIMAL).starts_with("Bad Name.md: the file name must be"));
        assert!(err("dns.md", &MINIMAL.replace("[[try]]\nlabel = \"Ask\"\nurl = \"/lab/get\"\nexpect = \"200 OK.\"\n", ""))
            .contains("needs at least one [[try]]"));
        assert!(err("dns.md", &MINIMAL.replace("url = \"/lab/get\"", "url = \"/lab/get\"\nheaders = \"no colon\""))
            .contains("the try “Ask” cannot be sent"));
        assert!(err("dns.md", &MINIMAL.replace("summary = \"Names become addresses.\"", &format!("summary = \"{}\"", "x".repeat(161))))
            .contains("line 3: the summary is longer than 160"));
        assert!(err("dns.md", &format!("{MINIMAL}{}", " ".repeat(MAX_FILE))).contains("more than the"));
    }

    #[test]
    fn a_teacher_adds_replaces_and_a_broken_file_leaves_the_rest() {
        let base = vec![("01-a.md".to_string(), MINIMAL.replace("DNS", "A")), ("02-b.md".to_string(), MINIMAL.replace("DNS", "B"))];
        let teacher = vec![
            ("9-nine.md".to_string(), MINIMAL.replace("DNS", "Nine")),
            ("a.md".to_string(), MINIMAL.replace("DNS", "A, the teacher's")),
            ("15-extra.md".to_string(), MINIMAL.replace("DNS", "Extra")),
            ("16-broken.md".to_string(), MINIMAL.replace("kind = \"request\"", "kind = 3")),
            ("17-extra.md".to_string(), MINIMAL.to_string()),
        ];
        let (course, problems, from_teacher) = course(&base, &teacher);
        let titles: Vec<_> = course.lessons.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles, ["A, the teacher's", "B", "Nine", "Extra"], "9 before 15: by number, not as text");
        assert_eq!(from_teacher, 3);
        let problems: Vec<_> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("16-broken.md, line 4: in the front matter: invalid type: integer `3`, expected a string"),
            "{problems:?}"
        );
        assert_eq!(problems[1], "17-extra.md: the lesson “extra” is also in 15-extra.md; this file was left out");
    }

    #[test]
    fn text_that_looks_like_markdown_survives_the_round_trip() {
        let mut l = parse("15-dns.md", MINIMAL).unwrap();
        l.text = vec![
            Block::Para(vec![Inline::Text("1. Not a list: *stars*, _under_, <tags>, a & b, [brackets], `ticks` \\ and # hash".into())]),
            Block::Steps(vec![vec![Inline::Text("- not a bullet".into())]]),
            Block::Table { head: vec![vec![Inline::Text("a|b".into())]], rows: vec![vec![vec![Inline::Code("x".into())]]] },
        ];
        l.title = "Quotes \" and \\ backslashes".into();
        assert_eq!(parse("15-dns.md", &write(&l)).unwrap(), l);
    }

    /// A front matter at the bounds: the longest title and summary in
    /// four-byte characters, `tries` tries and `checks` checks with long
    /// fields of quotes (each doubles in JSON).
    fn front(tries: usize, checks: usize) -> String {
        let mut f = format!(
            "+++\ntitle = \"{}\"\nsummary = \"{}\"\nkind = \"request\"\ntask = \"{}\"\n",
            "😀".repeat(MAX_TITLE),
            "😀".repeat(160),
            "\\\"".repeat(400)
        );
        for i in 0..tries {
            f += &format!(
                "\n[[try]]\nlabel = \"{}{i}\"\nmethod = \"POST\"\nurl = \"/lab/anything/{}\"\nbody = \"{}\"\nexpect = \"{}\"\n",
                "😀".repeat(20),
                "x".repeat(200),
                "\\\"".repeat(400),
                "\\\"".repeat(400)
            );
        }
        for _ in 0..checks {
            f += &format!("\n[[check]]\nquestion = \"{}\"\nanswer = \"{}\"\n", "\\\"".repeat(200), "\\\"".repeat(200));
        }
        f + "+++\n"
    }

    /// `front` and as much of `unit` as fits in the largest file a lesson may be.
    fn filled(front: &str, head: &str, unit: &str, tail: &str) -> String {
        let room = MAX_FILE - front.len() - head.len() - tail.len();
        format!("{front}{head}{}{tail}", unit.repeat(room / unit.len()))
    }

    /// The JSON the app is sent for `lesson` (`/lessons/{slug}.json`) with
    /// the longest neighbours the rules allow.
    fn page_json(lesson: Lesson) -> usize {
        let neighbour = crate::lessons::Entry { slug: "x".repeat(64), title: "😀".repeat(MAX_TITLE), summary: "😀".repeat(160) };
        let page = crate::lessons::LessonPage { lesson, number: 214, count: 214, previous: Some(neighbour.clone()), next: Some(neighbour) };
        serde_json::to_string(&page).unwrap().len()
    }

    #[test]
    fn the_largest_files_the_rules_allow_fit_what_the_app_reads() {
        let full = front(MAX_TRIES, MAX_CHECKS);
        // The most table cells, each a bold quote; the rest of the file one
        // code block of quotes.
        let header = format!("|{}\n|{}\n", "**\"**|".repeat(MAX_COLUMNS), "---|".repeat(MAX_COLUMNS));
        let body_rows = (MAX_CELLS / MAX_COLUMNS - 1).min(MAX_ROWS);
        let table = header + &format!("|{}\n", "**\"**|".repeat(MAX_COLUMNS)).repeat(body_rows);
        let tables = filled(&full, &format!("{table}\n```\n"), "\"", "\n```\n");
        // The most blocks: lists of the most (empty) items (a new bullet
        // character starts a new list).
        let list = format!("{}\n{}\n", "-\n".repeat(MAX_ITEMS), "+\n".repeat(MAX_ITEMS));
        let lists = format!("{full}{}A paragraph.\n", list.repeat((MAX_BLOCKS - 1) / 2));
        // The most runs: emphasis, code and links, then quotes.
        let runs = format!("{}\n\n", "*a*`b`[c](/lesson/urls)".repeat(MAX_RUNS / 5 - 1));
        let runs = filled(&full, &runs, "\"", "\n");
        // Text alone: quotes, each written \" in JSON.
        let quotes = filled(&full, "", "\"", "\n");
        // Entities: `&quot;` is one quote; `&#x1F600;` four bytes.
        let entities = filled(&full, "", "&#x1F600;&quot;", "\n");
        let mut largest = 0;
        for (name, text) in [("tables", &tables), ("lists", &lists), ("runs", &runs), ("quotes", &quotes), ("entities", &entities)] {
            assert!(text.len() <= MAX_FILE, "{name}: {} bytes", text.len());
            let lesson = parse("15-big.md", text).unwrap_or_else(|e| panic!("{name}: the rules allow it, so it is read: {e}"));
            println!("{name}: {} bytes of file, {} bytes of JSON", text.len(), serde_json::to_string(&lesson).unwrap().len());
            let json = page_json(lesson);
            assert!(json <= JSON_CAP, "{name}: {json} bytes of JSON, over the app's {JSON_CAP}");
            largest = largest.max(json);
        }
        assert!(largest > JSON_CAP / 3, "the files tried are near the limits ({largest} bytes of JSON)");
        // Within every bound above and still past the lesson's share of the
        // cap (emphasis runs, then quotes): the last check refuses it.
        let minimal_front = MINIMAL.split_inclusive("+++\n").take(2).collect::<String>();
        let over = filled(&minimal_front, &format!("{}\n\n", "*\"*".repeat(MAX_RUNS / 2 - 1)), "\"", "\n");
        match parse("15-big.md", &over) {
            Ok(l) => panic!("accepted, with {} bytes of JSON", page_json(l)),
            Err(e) => assert!(e.to_string().starts_with("15-big.md: as the app receives it (JSON) the lesson is "), "{e}"),
        }
    }

    #[test]
    fn a_table_list_or_lesson_past_its_bounds_is_refused_with_its_line() {
        let front = MINIMAL.split_inclusive("+++\n").take(2).collect::<String>();
        let body_line = front.lines().count() + 1;
        let md = |body: &str| err("15-wide.md", &format!("{front}{body}"));
        // The issue's file: a table of 10,000 columns, 10 rows, within the file cap.
        let wide = format!("{}|\n{}|\n", "| a ".repeat(10_000), "|---".repeat(10_000)) + &format!("{}|\n", "| x ".repeat(10_000)).repeat(2);
        assert!(front.len() + wide.len() < MAX_FILE);
        assert_eq!(md(&wide), format!("15-wide.md, line {body_line}: this table has 10000 columns; a table has at most {MAX_COLUMNS}"));
        let table =
            |columns: usize, rows: usize| format!("{}|\n{}|\n", "| a ".repeat(columns), "|---".repeat(columns)) + &"| x |\n".repeat(rows);
        assert!(parse("15-ok.md", &format!("{front}{}", table(MAX_COLUMNS, MAX_ROWS - 1))).is_ok());
        assert!(md(&table(MAX_COLUMNS + 1, 1)).contains("a table has at most 12"));
        assert_eq!(
            md(&format!("Text.\n\n{}", table(2, MAX_ROWS + 1))),
            format!(
                "15-wide.md, line {}: a table has at most {MAX_ROWS} rows below its head: make two tables, or a list",
                body_line + 2 + 2 + MAX_ROWS
            )
        );
        // Short rows are filled up to the head: cells count as the app gets them.
        let many = format!("{}\n", table(MAX_COLUMNS, MAX_ROWS - 1)).repeat(2);
        assert!(md(&many).contains(&format!("more than {MAX_CELLS} cells")), "{}", md(&many));
        assert_eq!(
            md(&"- item\n".repeat(MAX_ITEMS + 1)),
            format!("15-wide.md, line {}: a list has at most {MAX_ITEMS} items", body_line + MAX_ITEMS)
        );
        assert!(md(&"Para.\n\n".repeat(MAX_BLOCKS + 1)).contains(&format!("at most {MAX_BLOCKS} paragraphs")));
        assert!(md(&"`c` ".repeat(MAX_RUNS + 1)).contains(&format!("more than {MAX_RUNS} runs")));
        assert!(md(&format!("[a](/{})", "x".repeat(MAX_HREF))).contains("longer than 2048 bytes"));
        let long_title = MINIMAL.replace("title = \"DNS\"", &format!("title = \"{}\"", "T".repeat(MAX_TITLE + 1)));
        assert_eq!(err("15-t.md", &long_title), format!("15-t.md, line 2: the title is longer than {MAX_TITLE} characters"));
        let tries = "\n[[try]]\nlabel = \"Ask\"\nurl = \"/lab/get\"\nexpect = \"200 OK.\"\n".repeat(MAX_TRIES);
        assert!(err("15-t.md", &MINIMAL.replace("\n[[check]]", &format!("{tries}\n[[check]]"))).contains("at most 20 [[try]]s"));
        let checks = "\n[[check]]\nquestion = \"Q?\"\nanswer = \"A.\"\n".repeat(MAX_CHECKS);
        assert!(err("15-t.md", &MINIMAL.replace("\n+++\nA *name*", &format!("{checks}+++\nA *name*"))).contains("at most 30 [[check]]s"));
    }

    #[test]
    fn control_characters_are_refused_and_never_printed_raw() {
        let no_control = |s: &str| !s.chars().any(|c| c.is_control());
        // The issue's file: an escape sequence that retitles the terminal.
        let pwned = MINIMAL.replace("kind = \"request\"", "kind = \"\\u001b]0;PWNED\\u0007\"");
        assert_eq!(err("15-x.md", &pwned), "15-x.md, line 4: kind holds a control character (U+001B), which a lesson may not");
        for (name, text, line) in [
            ("title", MINIMAL.replace("title = \"DNS\"", "title = \"D\\u009bNS\""), 2),
            ("answer", MINIMAL.replace("answer = \"The browser.\"", "answer = \"\\u0007\""), 14),
            ("text", MINIMAL.replace("A *name*", "A \u{1b}[2J *name*"), 16),
            ("entity", MINIMAL.replace("A *name*", "A &#27;[2J *name*"), 16),
            ("code", MINIMAL.replace("GET / HTTP/1.1", "GET /\u{7} HTTP/1.1"), 29),
        ] {
            let e = err("15-x.md", &text);
            assert!(e.starts_with(&format!("15-x.md, line {line}: ")) && e.contains("control character"), "{name}: {e}");
        }
        // Whatever a message quotes (a key, a value, the file's name) is
        // printed escaped and cut short.
        let key = MINIMAL.replace("title = \"DNS\"", &format!("title = \"DNS\"\n\"\\u001b[31m{}\" = 1", "k".repeat(5000)));
        let e = err("15-x.md", &key);
        assert!(e.contains("\\u{1b}[31m") && no_control(&e) && e.chars().count() < 400, "{e}");
        let e = err("15-\u{1b}]0;PWNED\u{7}.md", MINIMAL);
        assert!(e.starts_with("15-\\u{1b}]0;PWNED\\u{7}.md: the file name must be") && no_control(&e), "{e}");
        let bad_kind = MINIMAL.replace("kind = \"request\"", &format!("kind = \"{}\"", "\u{202e}x".repeat(100)));
        let e = err("15-x.md", &bad_kind);
        assert!(e.contains("kind “\\u{202e}x\\u{202e}x") && e.ends_with('…') && !e.contains('\u{202e}'), "{e}");
        assert_eq!(printable("a\tb\r\n\u{7f}\u{85}é"), "a\\u{9}b\\u{d}\\u{a}\\u{7f}\\u{85}é");
    }

    #[test]
    fn the_largest_index_the_rules_allow_fits_what_the_app_reads() {
        // At most 14 built-in lessons and MAX_FILES from a folder, each with
        // the longest title and summary; a problem for every file and one
        // for the folder, each as long as a message may be.
        let entry = crate::lessons::Entry { slug: "x".repeat(64), title: "😀".repeat(MAX_TITLE), summary: "😀".repeat(160) };
        let long = FileError { file: "😀".repeat(255), line: 99_999, message: "\u{1b}\\\"😀".repeat(10_000) }.to_string();
        assert!(long.chars().count() < 400 && !long.chars().any(|c| c.is_control()), "{long}");
        let index = crate::lessons::Index { lessons: vec![entry; 14 + MAX_FILES], problems: vec![long; MAX_FILES + 1] };
        let json = serde_json::to_string(&index).unwrap().len();
        assert!(json <= JSON_CAP, "{json} bytes of index, over the app's {JSON_CAP}");
    }
}
