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
        // `{id:?}`: quoted, with any control character escaped.
        for (id, k) in &c.unlisted {
            repairs.push(format!(
                "{} page {id:?}, which log.pages does not list: shown as a page of its own.",
                n(*k, "entry names", "entries name")
            ));
        }
        repairs
    }
}
