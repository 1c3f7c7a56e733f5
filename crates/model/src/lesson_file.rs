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
use crate::lessons::{is_slug, safe_href, slug_of_file, Block, Check, Course, Inline, Kind, Lesson, On, Try};
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

/// What is wrong with a lesson file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    /// 1-based; 0 when the whole file is concerned.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}, line {}: {}", self.file, self.line, self.message)
        }
    }
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
    answer: String,
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

    let need = |field: &Spanned<String>, what: &str| -> Result<String, FileError> {
        let v = field.get_ref().trim();
        if v.is_empty() {
            Err(err(at(field.span()), format!("{what} is empty")))
        } else {
            Ok(v.to_owned())
        }
    };
    let kind = Kind::ALL.into_iter().find(|k| k.slug() == front.kind.get_ref()).ok_or_else(|| {
        err(at(front.kind.span()), format!("kind “{}” is not one of {}", front.kind.get_ref(), list(Kind::ALL.map(Kind::slug))))
    })?;
    let panel = match &front.panel {
        None => Panel::Journey,
        Some(p) => Panel::from_slug(p.get_ref())
            .ok_or_else(|| err(at(p.span()), format!("panel “{}” is not one of {}", p.get_ref(), list(Panel::ALL.map(Panel::slug)))))?,
    };
    let speed = match &front.speed {
        None => Speed::Slow10,
        Some(s) => Speed::from_slug(s.get_ref()).ok_or_else(|| {
            err(
                at(s.span()),
                format!("speed “{}” is not one of {} (times slower than real time)", s.get_ref(), list(Speed::ALL.map(Speed::slug))),
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
                    return Err(err(at(m.span()), format!("method “{}” is not one of {}", m.get_ref(), list(METHODS.iter().copied()))));
                }
                upper
            }
        };
        let on = match &t.on {
            None => On::ThisPage,
            Some(o) => On::ALL
                .into_iter()
                .find(|v| v.slug() == o.get_ref())
                .ok_or_else(|| err(at(o.span()), format!("on “{}” is not one of {}", o.get_ref(), list(On::ALL.map(On::slug)))))?,
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
            return Err(err(at(span), format!("the try “{}” cannot be sent: {problem}", t.label)));
        }
        tries.push(t);
    }
    if matches!(kind, Kind::Request | Kind::Https) && tries.is_empty() {
        return Err(err(at(front.kind.span()), format!("a “{}” lesson needs at least one [[try]] to send", kind.slug())));
    }
    let mut checks = Vec::new();
    for c in &front.checks {
        checks.push(Check { question: need(&c.question, "a check's question")?, answer: c.answer.trim().to_owned() });
    }
    let text_blocks = markdown(&text[body_start..]).map_err(|(at, message)| err(line_of(body_start + at), message))?;
    if text_blocks.is_empty() {
        return Err(err(line_of(body_start), "the lesson has no text after the front matter".into()));
    }
    Ok(Lesson {
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
    })
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
    for (event, range) in Parser::new_ext(src, Options::ENABLE_TABLES).into_offset_iter() {
        let at = range.start;
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
                Tag::Item => frames.push((Frame::Block, Vec::new())),
                Tag::Table(_) | Tag::CodeBlock(_) if list.is_some() => {
                    return Err((at, "tables and code blocks cannot sit inside a list item: end the list first".into()))
                }
                Tag::Table(_) | Tag::TableHead => {}
                Tag::TableRow => row.clear(),
                Tag::TableCell => frames.push((Frame::Block, Vec::new())),
                Tag::CodeBlock(_) => code = Some(String::new()),
                Tag::Emphasis | Tag::Strong | Tag::Link { .. } if frames.len() >= MAX_NESTING => {
                    return Err((at, format!("emphasis and links nest more than {MAX_NESTING} deep here")))
                }
                Tag::Emphasis => frames.push((Frame::Em, Vec::new())),
                Tag::Strong => frames.push((Frame::Strong, Vec::new())),
                Tag::Link { dest_url, .. } => {
                    let href = dest_url.to_string();
                    if !safe_href(&href) {
                        return Err((at, format!("the link to “{href}” is not allowed: links go to http:// or https:// addresses, or to a path on this site such as /lesson/cookies")));
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
                    push(&mut frames, run, at)?;
                }
                _ => {}
            },
            Event::Text(t) => match code.as_mut() {
                Some(c) => c.push_str(&t),
                None => push(&mut frames, Inline::Text(t.to_string()), at)?,
            },
            Event::Code(t) => push(&mut frames, Inline::Code(t.to_string()), at)?,
            Event::SoftBreak | Event::HardBreak => push(&mut frames, Inline::Text(" ".into()), at)?,
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

fn push(frames: &mut [(Frame, Vec<Inline>)], run: Inline, at: usize) -> Result<(), (usize, String)> {
    match frames.last_mut() {
        Some((_, runs)) => {
            // Adjacent text (split by the parser at escapes) is one run.
            if let (Inline::Text(new), Some(Inline::Text(last))) = (&run, runs.last_mut()) {
                last.push_str(new);
            } else {
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
                            message: format!("the lesson “{}” is also in {first}; this file was left out", lesson.slug),
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
}
