//! Each top-level page's heading and lead sentence, in one place: the app
//! shows them, and the lab paints them into index.html's shell so that a
//! phone shows the page's words before the WebAssembly has arrived (and
//! nothing moves when the app mounts the same words in their place).
//!
//! A lead may mark code with backticks: "sends it with `fetch`".

pub struct Heading {
    /// The app's route.
    pub path: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
}

pub const HEADINGS: &[Heading] = &[
    Heading {
        path: "/",
        title: "Send a real request",
        lead: "Your browser sends it with `fetch`. What comes back is shown as the browser saw it, with the timings the browser itself measured.",
    },
    Heading {
        path: "/pages",
        title: "What does one page load cost?",
        lead: "A page is one request; everything it names — stylesheets, scripts, images, fonts, API calls, frames — is one more. \
Load a page below and watch the requests being counted as your browser makes them.",
    },
    Heading {
        path: "/timeline",
        title: "Every request in this tab",
        lead: "Live from the browser's own records (Resource Timing): the app's own files, every request you send, every page you load. \
Click a row to watch its journey.",
    },
    Heading {
        path: "/status-codes",
        title: "Status codes",
        lead: "A status code is the server's one-number answer to “what happened to my request?”. \
The browser reads it before anything else; the first digit alone tells the family.",
    },
    Heading {
        path: "/cookies",
        title: "Cookies: memory for stateless HTTP",
        lead: "A server forgets every request once it has answered. A cookie is a small piece of data the server asks the browser to keep \
and to send back with every later request to that site: that is how a site remembers you.",
    },
];

/// The heading of the page at `path`. Panics on a path not in `HEADINGS`:
/// the app asks only for its own routes, and a test checks each.
pub fn of(path: &str) -> &'static Heading {
    HEADINGS.iter().find(|h| h.path == path).unwrap_or_else(|| panic!("no heading for {path}"))
}

/// A lead's pieces: (text, is it code).
pub fn lead_parts(lead: &str) -> impl Iterator<Item = (&str, bool)> {
    lead.split('`').enumerate().filter(|(_, s)| !s.is_empty()).map(|(i, s)| (s, i % 2 == 1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lead_splits_at_its_backticks() {
        let parts: Vec<_> = super::lead_parts(super::of("/").lead).collect();
        assert_eq!(parts[0], ("Your browser sends it with ", false));
        assert_eq!(parts[1], ("fetch", true));
        assert!(parts[2].0.starts_with(". What comes back"));
        assert_eq!(super::HEADINGS.len(), 5);
    }
}
