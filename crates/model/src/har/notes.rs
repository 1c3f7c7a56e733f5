//! The sentences an import adds about what a file does differently from
//! the spec, and what Roundtrip made of it.

/// How often each repair was needed, over the whole file.
#[derive(Default)]
pub(crate) struct Counts {
    pub no_time: usize,
    pub no_timings: usize,
    pub no_date: usize,
    pub failed: usize,
    pub bytes_unknown: usize,
    /// `pageref`s that name no listed page, with how many entries do.
    pub unlisted: Vec<(String, usize)>,
    /// Values that were there but could not be used, by field, in the
    /// order first met.
    pub unusable: Vec<Unusable>,
}

/// Whose field it is: an entry of `log.entries` or a page of `log.pages`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Entry,
    Page,
}

/// A field the import reads: its name in the file, what a usable value
/// is, and what Roundtrip does instead when it is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: &'static str,
    pub expected: &'static str,
    pub instead: &'static str,
}

pub(crate) const DATE: &str = "an ISO 8601 date and time from the years 0000 to 9999";
pub(crate) const MS: &str = "a number of milliseconds from 0 to 1000000000 (or -1: not told)";
pub(crate) const BYTES: &str = "a whole number of bytes up to 9007199254740991 (or -1: not told)";
pub(crate) const STATUS: &str = "a status code from 100 to 999 (or 0 or below: no response)";
pub(crate) const TEXT: &str = "text";
pub(crate) const OBJECT: &str = "an object";
pub(crate) const ARRAY: &str = "an array";

/// One field's unusable values over the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unusable {
    subject: Subject,
    field: Field,
    count: usize,
    /// The first: its entry's (or page's) number, from 1, and its value as shown.
    first: (usize, String),
}

impl Counts {
    /// `number`'s `field` holds `shown`, which cannot be used.
    pub fn unusable(&mut self, subject: Subject, number: usize, field: Field, shown: String) {
        match self.unusable.iter_mut().find(|u| u.subject == subject && u.field.name == field.name) {
            Some(u) => u.count += 1,
            None => self.unusable.push(Unusable { subject, field, count: 1, first: (number, shown) }),
        }
    }
}

impl Unusable {
    /// "Entry 2: startedDateTime is "+275760-…", not an ISO 8601 date…; it
    /// is drawn at the start of its page."
    fn sentence(&self) -> String {
        let (one, many) = match self.subject {
            Subject::Entry => ("Entry", "entries"),
            Subject::Page => ("Page", "pages of log.pages"),
        };
        let Field { name, expected, instead } = self.field;
        let (number, shown) = &self.first;
        if self.count == 1 {
            let place = if self.subject == Subject::Page { format!("{one} {number} of log.pages") } else { format!("{one} {number}") };
            format!("{place}: {name} is {shown}, not {expected}; it is {instead}.")
        } else {
            format!(
                "In {} {many}, {name} is not {expected} (the first, {} {number}: {shown}); each is {instead}.",
                self.count,
                one.to_lowercase()
            )
        }
    }
}

impl Counts {
    pub fn sentences(&self) -> Vec<String> {
        let c = self;
        let mut repairs = Vec::new();
        let n = |k: usize, one: &str, many: &str| if k == 1 { format!("1 {one}") } else { format!("{k} {many}") };
        if c.no_time > 0 {
            repairs.push(format!(
                "{} no usable \"time\" (null, negative or missing, as Firefox writes it): the duration drawn is the sum of the timings.",
                n(c.no_time, "entry has", "entries have")
            ));
        }
        if c.no_timings > 0 {
            let each = if c.no_timings == 1 { "it is" } else { "each is" };
            repairs.push(format!("{} no timings: {each} drawn as one block of waiting.", n(c.no_timings, "entry has", "entries have")));
        }
        if c.no_date > 0 {
            repairs.push(format!(
                "{} no readable startedDateTime: drawn at the start of {}.",
                n(c.no_date, "entry has", "entries have"),
                if c.no_date == 1 { "its page" } else { "their page" }
            ));
        }
        if c.failed > 0 {
            repairs.push(format!(
                "{} no response (status 0 or negative, or an error): counted as requests, never as cache hits.",
                n(c.failed, "request got", "requests got")
            ));
        }
        if c.bytes_unknown > 0 {
            repairs.push(format!(
                "{} not say how many bytes {} transferred (no _transferSize; headersSize and bodySize -1 or null): byte totals leave {} out.",
                n(c.bytes_unknown, "entry does", "entries do"),
                if c.bytes_unknown == 1 { "it" } else { "they" },
                if c.bytes_unknown == 1 { "it" } else { "them" }
            ));
        }
        // Quoted, cut short, with any control character escaped.
        for (id, k) in &c.unlisted {
            repairs.push(format!(
                "{} page {}, which log.pages does not list: shown as a page of its own.",
                n(*k, "entry names", "entries name"),
                super::lenient::shown_text(id)
            ));
        }
        repairs.extend(c.unusable.iter().map(Unusable::sentence));
        repairs
    }
}
