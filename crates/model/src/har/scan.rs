//! Finding `log.entries` and `log.pages` in a HAR file without parsing the
//! whole file at once, so a large file can be read in steps.

/// The largest HAR file Roundtrip reads, and the most entries it shows.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_ENTRIES: usize = 20_000;
/// The most pages read from `log.pages` (WebPageTest files hold a few; a
/// "Preserve log" session may hold dozens).
pub const MAX_PAGES: usize = 1_000;

/// Why a HAR file cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    TooLarge { bytes: usize },
    NotJson { line: usize, column: usize },
    NotHar(&'static str),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge { bytes } => {
                write!(f, "The file has {bytes} bytes; Roundtrip reads HAR files of up to {MAX_FILE_BYTES} bytes.")
            }
            ImportError::NotJson { line, column } => {
                write!(f, "This is not valid JSON: it breaks off or goes wrong at line {line}, column {column}. A HAR file is JSON.")
            }
            ImportError::NotHar(what) => write!(f, "This JSON is not a HAR file: {what}."),
        }
    }
}

/// A HAR file cut into its parts, each still JSON text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split<'a> {
    /// Each element of `log.entries`, up to [`MAX_ENTRIES`].
    pub entries: Vec<&'a str>,
    /// How many entries there were beyond [`MAX_ENTRIES`].
    pub extra: usize,
    /// Each element of `log.pages`, up to [`MAX_PAGES`] (none when the file
    /// has no `pages`, which HAR allows).
    pub pages: Vec<&'a str>,
    pub extra_pages: usize,
    /// The file began with a UTF-8 byte-order mark (DevTools on Windows).
    pub byte_order_mark: bool,
}

/// Finds `log.entries` and `log.pages` and returns each element's JSON
/// text, without parsing them.
pub fn split_entries(text: &str) -> Result<Split<'_>, ImportError> {
    let mut scanner = EntryScanner::new(text)?;
    while scanner.scan(usize::MAX).is_none() {}
    scanner.finish()
}

/// [`split_entries`] in steps: `scan(n)` reads at most `n` more bytes, so a
/// caller can yield to the browser between steps on a large file.
pub struct EntryScanner<'a> {
    text: &'a str,
    byte_order_mark: bool,
    at: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    last_key: Option<(usize, usize)>,
    string_start: usize,
    path: Vec<Option<(usize, usize)>>,
    /// The depth of `log.entries` / `log.pages` while inside it, DONE after.
    lists: [Option<usize>; 2],
    element_start: Option<(usize, usize)>,
    out: Split<'a>,
    error: Option<ImportError>,
}

const DONE: usize = usize::MAX;
const ENTRIES: usize = 0;
const PAGES: usize = 1;

impl<'a> EntryScanner<'a> {
    pub fn new(text: &'a str) -> Result<EntryScanner<'a>, ImportError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge { bytes: text.len() });
        }
        // U+FEFF is not JSON whitespace, but DevTools on Windows writes it
        // first; it says only that the file is UTF-8, which it already is.
        let (text, byte_order_mark) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        Ok(EntryScanner {
            text,
            byte_order_mark,
            at: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            last_key: None,
            string_start: 0,
            path: Vec::new(),
            lists: [None, None],
            element_start: None,
            out: Split::default(),
            error: None,
        })
    }

    /// How far through the text, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.at as f64 / self.text.len().max(1) as f64
    }

    fn position(&self, at: usize) -> ImportError {
        let before = &self.text[..at.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ImportError::NotJson { line, column }
    }

    /// Reads up to `budget` bytes; `Some(())` once the whole text is read
    /// (or an error was found).
    pub fn scan(&mut self, budget: usize) -> Option<()> {
        let bytes = self.text.as_bytes();
        let end = self.at.saturating_add(budget).min(bytes.len());
        while self.at < end {
            let (i, b) = (self.at, bytes[self.at]);
            self.at += 1;
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => {
                        self.in_string = false;
                        self.last_key = Some((self.string_start, i));
                    }
                    _ => {}
                }
                continue;
            }
            // A list element that is not a container (`null`, `5`, `"x"`)
            // starts here; it is kept so the importer can name it.
            let scalar_start = !matches!(b, b'{' | b'[' | b'}' | b']' | b',' | b':') && !b.is_ascii_whitespace();
            if scalar_start && self.element_start.is_none() {
                if let Some(l) = self.list_at(self.depth) {
                    self.element_start = Some((l, i));
                }
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.string_start = i + 1;
                }
                b'{' | b'[' => {
                    // Which key opened this container (for finding
                    // log.entries), kept for the first three levels only:
                    // a file of millions of `[` costs no memory.
                    let key = self.last_key.take();
                    if self.path.len() < 3 {
                        self.path.push(key);
                    }
                    self.depth += 1;
                    let d = self.depth;
                    let key = |k: Option<(usize, usize)>| k.map(|(a, e)| &self.text[a..e]);
                    let list = match (b, d) {
                        (b'[', 3) if key(self.path[1]) == Some("log") => match key(self.path[2]) {
                            Some("entries") => Some(ENTRIES),
                            Some("pages") => Some(PAGES),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(l) = list.filter(|l| self.lists[*l].is_none()) {
                        self.lists[l] = Some(d);
                    } else if self.element_start.is_none() {
                        if let Some(l) = self.list_at(d - 1) {
                            self.element_start = Some((l, i));
                        }
                    }
                }
                b'}' | b']' => {
                    if self.depth == 0 {
                        self.error = Some(self.position(i));
                        self.at = bytes.len();
                        return Some(());
                    }
                    if let Some(l) = self.list_at(self.depth).filter(|_| b == b']') {
                        self.end_scalar(i);
                        self.lists[l] = Some(DONE);
                    }
                    self.depth -= 1;
                    self.path.truncate(self.depth);
                    if let Some((l, start)) = self.element_start.filter(|(l, _)| self.lists[*l] == Some(self.depth)) {
                        self.element_start = None;
                        self.push(l, &self.text[start..=i]);
                    }
                }
                b',' => {
                    self.end_scalar(i);
                    self.last_key = None;
                }
                b':' => {}
                c if c.is_ascii_whitespace() => {}
                _ => self.last_key = None,
            }
        }
        (self.at >= bytes.len()).then_some(())
    }

    /// Which list (entries or pages) is open at `depth`.
    fn list_at(&self, depth: usize) -> Option<usize> {
        (0..2).find(|l| self.lists[*l] == Some(depth))
    }

    /// A scalar element ends at the `,` or `]` at its list's depth.
    fn end_scalar(&mut self, at: usize) {
        if let Some((l, start)) = self.element_start.filter(|(l, _)| self.lists[*l] == Some(self.depth)) {
            self.element_start = None;
            self.push(l, self.text[start..at].trim_end());
        }
    }

    fn push(&mut self, list: usize, text: &'a str) {
        match list {
            ENTRIES if self.out.entries.len() < MAX_ENTRIES => self.out.entries.push(text),
            ENTRIES => self.out.extra += 1,
            _ if self.out.pages.len() < MAX_PAGES => self.out.pages.push(text),
            _ => self.out.extra_pages += 1,
        }
    }

    /// The entries and pages, once `scan` has read everything.
    pub fn finish(self) -> Result<Split<'a>, ImportError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.in_string || self.depth != 0 {
            return Err(self.position(self.text.len()));
        }
        if self.text.trim_start().as_bytes().first() != Some(&b'{') {
            return Err(ImportError::NotHar("it is not an object with a \"log\""));
        }
        if self.lists[ENTRIES] != Some(DONE) {
            return Err(ImportError::NotHar("it has no log.entries array"));
        }
        Ok(Split { byte_order_mark: self.byte_order_mark, ..self.out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_pages_are_split_without_parsing_them() {
        let text = r#"{"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "pages": [{"id": "p", "x": [1]}],
            "entries": [ {"a": "[{\"]"}, {"b": [1, {"c": 2}]} ,{"d": "}"} ], "comment": "entries: [not these]"}}"#;
        let split = split_entries(text).unwrap();
        assert_eq!(split.entries, vec![r#"{"a": "[{\"]"}"#, r#"{"b": [1, {"c": 2}]}"#, r#"{"d": "}"}"#]);
        assert_eq!(split.pages, vec![r#"{"id": "p", "x": [1]}"#]);
        assert_eq!((split.extra, split.byte_order_mark), (0, false));
        assert_eq!(split_entries(r#"{"log": {"entries": []}}"#).unwrap().entries.len(), 0);
        // Elements that are not objects are kept, for the importer to name.
        let odd = split_entries(r#"{"log": {"entries": [null, 5 , "x,]" ,{"a": 1}, [2]]}}"#).unwrap();
        assert_eq!(odd.entries, vec!["null", "5", r#""x,]""#, r#"{"a": 1}"#, "[2]"]);
    }

    #[test]
    fn pages_after_entries_and_nested_lookalikes_are_told_apart() {
        let text = r#"{"log": {"entries": [{"pages": [{"no": 1}]}], "pages": [{"id": "a"}, {"id": "b"}], "x": {"entries": [{"no": 2}]}}}"#;
        let split = split_entries(text).unwrap();
        assert_eq!(split.entries, vec![r#"{"pages": [{"no": 1}]}"#]);
        assert_eq!(split.pages, vec![r#"{"id": "a"}"#, r#"{"id": "b"}"#]);
    }

    #[test]
    fn a_byte_order_mark_is_not_an_error() {
        let split = split_entries("\u{feff}{\"log\": {\"entries\": [{\"a\": 1}]}}").unwrap();
        assert_eq!((split.entries.len(), split.byte_order_mark), (1, true));
        // Only at the very start: anywhere else it is not JSON whitespace.
        assert!(matches!(split_entries("{\"log\": {\"entries\": []}}\u{feff}"), Ok(_) | Err(ImportError::NotHar(_))));
    }

    #[test]
    fn scanning_in_small_steps_finds_the_same_entries() {
        let text = r#"{"log": {"pages": [{"id": "p"}], "entries": [{"a": 1}, {"b": "x]}"}, {"c": [2]}]}}"#;
        let mut scanner = EntryScanner::new(text).unwrap();
        let mut steps = 0;
        while scanner.scan(3).is_none() {
            steps += 1;
        }
        assert!(steps > 10);
        assert_eq!(scanner.finish().unwrap(), split_entries(text).unwrap());
    }

    #[test]
    fn deep_nesting_is_split_without_keeping_a_key_per_level() {
        let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
        let text = format!(r#"{{"log": {{"entries": [{{"a": {deep}}}, {{"b": 1}}], "pages": [{deep}]}}}}"#);
        let mut scanner = EntryScanner::new(&text).unwrap();
        while scanner.scan(1 << 16).is_none() {
            assert!(scanner.path.len() <= 3, "{} keys kept", scanner.path.len());
        }
        let split = scanner.finish().unwrap();
        assert_eq!(split.entries.len(), 2);
        assert_eq!(split.pages, vec![deep.as_str()]);
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        assert_eq!(split_entries("{\"log\": {\"entries\": [{}").unwrap_err(), ImportError::NotJson { line: 1, column: 24 });
        assert_eq!(split_entries("{}\n}").unwrap_err(), ImportError::NotJson { line: 2, column: 1 });
        assert!(matches!(split_entries(r#"{"log": {"pages": []}}"#), Err(ImportError::NotHar(_))));
        assert!(matches!(split_entries(r#"{"entries": []}"#), Err(ImportError::NotHar(_))));
        assert!(matches!(split_entries("[1, 2]"), Err(ImportError::NotHar(_))));
        assert!(split_entries("{\"log\": {\"entries\": [\"unterminated").unwrap_err().to_string().contains("not valid JSON"));
        let too_big = " ".repeat(MAX_FILE_BYTES + 1);
        assert!(matches!(split_entries(&too_big), Err(ImportError::TooLarge { .. })));
    }
}
