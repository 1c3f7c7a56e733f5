//! The lessons: text, a live experiment, and questions to check yourself.
//!
//! The facts, tables and order of topics come from the course notes in
//! `shared/seed/how-browsers-talk-to-servers.txt`; the sentences are ours.
//! Each lesson opens at `/lesson/{slug}`; its experiment starts from its
//! first "try" and a share link (see `link`) can carry another state.

use crate::exchange::DEFAULT_TIMEOUT_MS;
use crate::journey::Speed;
use crate::link::{Experiment, Panel};

/// One piece of a lesson's text.
#[derive(Clone, Copy, Debug)]
pub enum Block {
    Para(&'static str),
    List(&'static [&'static str]),
    /// Numbered steps, in order.
    Steps(&'static [&'static str]),
    /// A table: header cells, then rows.
    Table(&'static [&'static str], &'static [&'static [&'static str]]),
}

/// What a lesson's experiment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// A ready-made request a lesson offers: one click fills the request bar and sends it.
#[derive(Clone, Copy, Debug)]
pub struct Try {
    /// The button's words.
    pub label: &'static str,
    pub method: &'static str,
    pub url: &'static str,
    pub headers: &'static str,
    pub body: &'static str,
    /// 0 means the default timeout.
    pub timeout_ms: u32,
    /// What the learner should see, said before they see it.
    pub expect: &'static str,
    /// Which server `url` (a path) is sent to.
    pub on: On,
}

/// Where a try's path is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// The server the page came from (or the whole URL given).
    ThisPage,
    /// The lab over HTTPS, where the browser picks h2 (`/lab/https` says where).
    LabH2,
    /// The lab over HTTPS offering http/1.1 only, same certificate.
    LabHttp11,
}

impl Try {
    const fn get(label: &'static str, url: &'static str, expect: &'static str) -> Try {
        Try { label, method: "GET", url, headers: "", body: "", timeout_ms: 0, expect, on: On::ThisPage }
    }
    /// GET `path` on the lab's HTTPS listener `on`.
    const fn over_tls(label: &'static str, on: On, path: &'static str, expect: &'static str) -> Try {
        Try { label, method: "GET", url: path, headers: "", body: "", timeout_ms: 0, expect, on }
    }
    const fn with(label: &'static str, method: &'static str, url: &'static str, body: &'static str, expect: &'static str) -> Try {
        Try { label, method, url, headers: "", body, timeout_ms: 0, expect, on: On::ThisPage }
    }

    /// This try as an experiment shown on `panel` at `speed`.
    pub fn experiment(&self, speed: Speed, panel: Panel) -> Experiment {
        Experiment {
            method: self.method.into(),
            url: self.url.into(),
            headers: self.headers.into(),
            body: self.body.into(),
            timeout_ms: if self.timeout_ms == 0 { DEFAULT_TIMEOUT_MS } else { self.timeout_ms },
            speed,
            panel,
        }
    }
}

/// A "check yourself" question; the answer is revealed on demand.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    pub question: &'static str,
    pub answer: &'static str,
}

#[derive(Clone, Copy, Debug)]
pub struct Lesson {
    pub slug: &'static str,
    pub title: &'static str,
    /// One sentence: the page's `<meta name="description">` and the index line.
    pub summary: &'static str,
    pub text: &'static [Block],
    pub kind: Kind,
    /// What the experiment asks the learner to do.
    pub task: &'static str,
    /// Ready-made requests; the first is the experiment's default.
    pub tries: &'static [Try],
    /// The panel the result opens on.
    pub panel: Panel,
    pub speed: Speed,
    pub checks: &'static [Check],
}

impl Lesson {
    /// The experiment the lesson opens with when a link carries none.
    pub fn default_experiment(&self) -> Experiment {
        match self.tries.first() {
            Some(t) => t.experiment(self.speed, self.panel),
            None => Experiment { speed: self.speed, panel: self.panel, ..Experiment::get("/lab/anything") },
        }
    }

    /// 1-based position in the course.
    pub fn number(&self) -> usize {
        LESSONS.iter().position(|l| l.slug == self.slug).map_or(0, |i| i + 1)
    }

    pub fn previous(&self) -> Option<&'static Lesson> {
        self.number().checked_sub(2).and_then(|i| LESSONS.get(i))
    }

    pub fn next(&self) -> Option<&'static Lesson> {
        LESSONS.get(self.number())
    }

    /// The browser tab's title for this lesson.
    pub fn page_title(&self) -> String {
        format!("{}. {} · Roundtrip", self.number(), self.title)
    }
}

pub fn find(slug: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.slug == slug)
}

/// Which lessons a learner has done, as kept in localStorage: slugs, comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress(Vec<&'static str>);

impl Progress {
    pub const STORAGE_KEY: &'static str = "roundtrip.lessons.done";

    /// Reads what was stored; anything that is not a lesson's slug is dropped.
    pub fn parse(stored: &str) -> Progress {
        let mut done: Vec<&'static str> = Vec::new();
        for slug in stored.split(',') {
            if let Some(l) = find(slug.trim()) {
                if !done.contains(&l.slug) {
                    done.push(l.slug);
                }
            }
        }
        Progress(done)
    }

    pub fn to_stored(&self) -> String {
        self.0.join(",")
    }

    pub fn is_done(&self, slug: &str) -> bool {
        self.0.contains(&slug)
    }

    /// Marks a lesson done; true when that changed anything.
    pub fn mark(&mut self, slug: &str) -> bool {
        match find(slug) {
            Some(l) if !self.is_done(l.slug) => {
                self.0.push(l.slug);
                true
            }
            _ => false,
        }
    }

    pub fn count(&self) -> usize {
        self.0.len()
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

/// Lesson 8's cards: a task, whose job it is, and why.
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

use Block::*;

pub const LESSONS: &[Lesson] = &[
    Lesson {
        slug: "big-picture",
        title: "The big picture",
        summary: "The web is two programs exchanging messages: the browser asks, the server answers. See one real exchange.",
        text: &[
            Para("Strip the web down and two programs are left. One is the browser, running on your laptop or phone. The other is a server, running on a computer somewhere else on the internet."),
            Para("They share no memory and know nothing about each other in advance. The only thing that passes between them is messages, and those messages follow a strict set of rules called HTTP."),
            Para("The conversation always has the same shape, and it is always the browser that opens it. A server never contacts a browser on its own initiative."),
            Steps(&["You type an address, or click a link.", "The browser sends a message: the request.", "The server sends a message back: the response.", "That exchange is over."]),
            Para("This pattern is called the request–response model. Everything else in these lessons is detail inside it."),
        ],
        kind: Kind::Request,
        task: "Send one real request to the lab and watch the two messages travel: one out, one back.",
        tries: &[Try::get("Ask the lab for a page of data", "/lab/get", "One request leaves the browser and exactly one response comes back, with status 200.")],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Can a server send a message to your browser when nothing asked for it?", answer: "No. In HTTP the browser always speaks first; the server only ever answers a request." },
            Check { question: "What do the browser and the server share?", answer: "Nothing but the messages they exchange. They have no common memory." },
        ],
    },
    Lesson {
        slug: "requests",
        title: "What is a request?",
        summary: "A request is structured text: a request line (method, target, version), the Host header and more headers. Read your own.",
        text: &[
            Para("A request is a message made of text with a fixed layout. Its first line, the request line, holds three things: the method (what you want done), the target (which resource on the server), and the version of HTTP."),
            Para("Then come headers, one per line, each a name, a colon and a value. The Host header names the server the request is for; others describe you and your wishes: which browser you use (User-Agent), which formats you accept, your language."),
            Table(&["Part", "Example", "What it says"], &[
                &["Method", "GET", "I want to receive something"],
                &["Target", "/search?q=python", "this particular resource, with these parameters"],
                &["Host", "Host: example.com", "the server this is meant for"],
                &["Other headers", "User-Agent: Chrome/…", "extra facts about the client and the request"],
            ]),
            Para("You type only the address. The browser writes the rest of the request for you, and adds several headers of its own that a page is not even allowed to set."),
        ],
        kind: Kind::Request,
        task: "Send a request with a query and a header of your own, then read it as the server received it.",
        tries: &[
            Try { label: "Search for python, with a header of my own", method: "GET", url: "/lab/anything/search?q=python", headers: "X-Learner: hello", body: "", timeout_ms: 0, expect: "The request line reads GET /lab/anything/search?q=python HTTP/1.1, followed by Host and the headers the browser added.", on: On::ThisPage },
            Try::get("A request with nothing extra", "/lab/headers", "Even an empty request carries a dozen headers the browser wrote."),
        ],
        panel: Panel::Raw,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "In “GET /search?q=python HTTP/1.1”, which part is the method, which the target?", answer: "GET is the method; /search?q=python is the target (a path and a query); HTTP/1.1 is the version." },
            Check { question: "Which header tells the server which site the request is for?", answer: "Host. One server computer can host many sites; Host says which one you mean." },
        ],
    },
    Lesson {
        slug: "the-server",
        title: "What the server does",
        summary: "A server reads the request, decides what to run, builds a response and sends it; then it forgets you. HTTP is stateless.",
        text: &[
            Para("For every request that arrives, a server goes through the same four moves."),
            Steps(&["Read the request.", "Decide which code should handle it.", "Produce a response.", "Send the response back."]),
            Para("Each request is met as if from a stranger: who are you, and what do you want? By default the server keeps nothing from one request to the next. That is what it means that HTTP is stateless."),
            Para("The lab reports its own steps in a Server-Timing header (read, parse, handler, total), so the browser can show how long the server worked, separately from the time the message spent travelling."),
        ],
        kind: Kind::Request,
        task: "Send a request and look at the server's own timings; then send it again and see that nothing about the first one was kept.",
        tries: &[
            Try::get("A quick answer", "/lab/anything", "The timing panel shows the server's steps from Server-Timing: tiny, well under a millisecond each."),
            Try::get("An answer that makes the server work for one second", "/lab/delay/1", "The server reports a “delay” step of about 1,000 ms (its work, on purpose); every other step stays tiny."),
        ],
        panel: Panel::Timing,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "You send two requests one after the other. Does the server, by default, know they came from the same person?", answer: "No. HTTP is stateless: each request stands alone. Remembering you takes something extra, such as a cookie (lesson 13)." },
            Check { question: "Name the four things a server does with each request.", answer: "It reads the request, decides what logic to run, generates a response, and sends it back." },
        ],
    },
    Lesson {
        slug: "responses",
        title: "What is a response?",
        summary: "A response is a status line, headers, one blank line, then the body. See each part of a real response.",
        text: &[
            Para("The answer is a structured text message too. Its first line, the status line, gives the HTTP version, a three-digit status code and a short reason phrase, such as “HTTP/1.1 200 OK”."),
            Para("Headers follow: metadata about the answer, like the type of content (Content-Type), its size (Content-Length), when it was made (Date), and how long it may be kept."),
            Para("Then one empty line. It is how the reader knows the headers are over. Everything after it is the body: the content itself, an HTML page, a picture, some JSON."),
            Table(&["Part", "Example", "Role"], &[
                &["Status line", "HTTP/1.1 200 OK", "what happened to the request"],
                &["Headers", "Content-Type: text/html", "facts about the content"],
                &["Blank line", "", "the headers end here"],
                &["Body", "<h1>My Home page</h1>", "the content"],
            ]),
            Para("The browser reads the status code first, then the headers, and only then deals with the body: it renders it, runs it, or saves it."),
        ],
        kind: Kind::Request,
        task: "Fetch a small HTML page and find its four parts in the raw response.",
        tries: &[
            Try::get("Fetch a small HTML page", "/lab/html", "Status line 200 OK, a Content-Type of text/html, the blank line, then the HTML as text (shown, never run)."),
            Try::get("Fetch JSON instead", "/lab/json", "Same layout; only the Content-Type and the body change."),
        ],
        panel: Panel::Raw,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "How does a program reading a response know where the headers stop and the body begins?", answer: "A single empty line separates them." },
            Check { question: "Which header tells the browser whether the body is HTML, JSON or an image?", answer: "Content-Type." },
        ],
    },
    Lesson {
        slug: "methods",
        title: "HTTP methods",
        summary: "GET, POST, PUT, PATCH and DELETE against a real list of notes on the lab, with the status codes each one earns.",
        text: &[
            Para("The method, the first word of a request, says what the client wants done with the resource named by the target."),
            Table(&["Method", "Meaning"], &[
                &["GET", "fetch data, change nothing"],
                &["POST", "send new data (often: create something)"],
                &["PUT", "replace something with this new version"],
                &["PATCH", "change part of something"],
                &["DELETE", "remove something"],
            ]),
            Para("The lab keeps a small list of notes for you, in memory, at /lab/notes. A new note gets a number, and /lab/notes/1 is the first. Each method earns its own status code: 201 Created for a new note, 204 No Content after a delete, 404 when the note is not there, 405 when a method makes no sense for that address, and 409 Conflict when a note with the same text already exists."),
            Para("Your list is yours: the lab tells visitors apart with a cookie it sets on your first request, and forgets lists nobody has used for a while."),
        ],
        kind: Kind::Request,
        task: "Create a note, read the list, change the note, then delete it. Provoke a 409, a 404 and a 405 on purpose.",
        tries: &[
            Try::with("POST: create a note", "POST", "/lab/notes", "{\"text\": \"Learn HTTP methods\"}", "201 Created, with a Location header naming the new note."),
            Try::get("GET: read the list", "/lab/notes", "200 OK and your notes as JSON."),
            Try::with("PUT: replace note 1", "PUT", "/lab/notes/1", "{\"text\": \"Learn HTTP methods, really\", \"done\": false}", "200 OK with the new version (404 if there is no note 1 yet)."),
            Try::with("PATCH: tick note 1 off", "PATCH", "/lab/notes/1", "{\"done\": true}", "200 OK; only the done flag changed."),
            Try::with("DELETE: remove note 1", "DELETE", "/lab/notes/1", "", "204 No Content: done, nothing to say. Again, and it is 404."),
            Try::with("POST the same text twice", "POST", "/lab/notes", "{\"text\": \"Twice\"}", "The first time 201; the second 409 Conflict."),
            Try::with("DELETE the whole list", "DELETE", "/lab/notes", "", "405 Method Not Allowed, with an Allow header listing GET and POST."),
        ],
        panel: Panel::Body,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Which method would you use to change only the title of a document, leaving the rest as it is?", answer: "PATCH: a partial update. PUT would send the whole new version." },
            Check { question: "You DELETE a note that exists, then send the same DELETE again. What status codes do you get?", answer: "204 No Content the first time; 404 Not Found the second, because the note is gone." },
        ],
    },
    Lesson {
        slug: "status-codes",
        title: "Status codes",
        summary: "A three-digit answer to “what happened?”: the five families and the seven codes you meet most, fired for real.",
        text: &[
            Para("A status code is the server's one-number answer to the question “what happened to my request?”. The browser looks at it before anything else in the response."),
            Table(&["Range", "Family"], &[&["1xx", "information"], &["2xx", "success"], &["3xx", "redirection"], &["4xx", "client error"], &["5xx", "server error"]]),
            Table(&["Code", "Meaning", "In parcel terms"], &[
                &["200", "OK, success", "the parcel was delivered"],
                &["301", "moved for good: go to the new address", "the recipient has moved; here is the new address"],
                &["400", "bad request: the server cannot read it", "the label is unreadable"],
                &["401", "unauthorised: who are you?", "a signature is needed before handing it over"],
                &["403", "forbidden: I know who you are, and no", "you are not on the list"],
                &["404", "not found", "that address does not exist"],
                &["500", "server error", "trouble in the warehouse"],
            ]),
            Para("A 404 is the client's mistake, not the server's: the server is up and its code ran fine, but the thing asked for does not exist. Knowing the families alone settles half of all debugging: a 4xx means look at the request, a 5xx means look at the server."),
        ],
        kind: Kind::Request,
        task: "Fire each of the seven codes at the lab and read what the browser does with each.",
        tries: &[
            Try::get("200 OK", "/lab/status/200", "A success: the body is the result."),
            Try::get("301 Moved Permanently", "/lab/status/301", "A redirect status. With a Location header the browser would follow it; this one has none, so you see the 301 itself."),
            Try::get("400 Bad Request", "/lab/status/400", "A client error: fix the request."),
            Try::get("401 Unauthorized", "/lab/bearer", "Who are you? The response carries a WWW-Authenticate header saying how to log in."),
            Try { label: "403 Forbidden", method: "GET", url: "/lab/bearer?require=admin", headers: "Authorization: Bearer learner", body: "", timeout_ms: 0, expect: "The server knows you (a token was sent) and still says no.", on: On::ThisPage },
            Try::get("404 Not Found", "/lab/status/404", "The server is fine; the resource is not there."),
            Try::get("500 Internal Server Error", "/lab/status/500", "The server failed. Nothing in your request can fix it."),
        ],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "A page answers 404. Is the server down?", answer: "No. The server is running and answered; it says the resource you asked for does not exist. A down server gives no answer at all, or a 5xx from whatever stands in front of it." },
            Check { question: "What is the difference between 401 and 403?", answer: "401: the server does not know who you are, so log in. 403: it knows who you are, and you are not allowed." },
        ],
    },
    Lesson {
        slug: "opening-a-website",
        title: "What happens when you open a website",
        summary: "DNS finds the server, the HTML arrives, then CSS, scripts and images each take another request: count them on a real page.",
        text: &[
            Steps(&[
                "The browser asks DNS where the site's name points, and gets an IP address.",
                "It sends an HTTP request to that address.",
                "The server answers with HTML.",
                "The browser reads the HTML.",
                "It finds stylesheets, scripts, images and fonts named in it, and requests each one.",
                "The server answers every one of those requests.",
                "The browser draws the page.",
            ]),
            Para("So one page is rarely one request. A typical page triggers somewhere between 50 and 200 of them. Much of web development is, in the end, deciding how the server answers each."),
        ],
        kind: Kind::PageLoad,
        task: "Load one of the lab's pages in a sandboxed frame and count the requests it triggers, by type.",
        tries: &[],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Why does opening one page cause dozens of requests?", answer: "The HTML names other files (CSS, JavaScript, images, fonts) and each of them is fetched with a request of its own." },
            Check { question: "What must happen before the browser can send the very first request to a site it has never visited?", answer: "A DNS lookup: the browser needs the server's IP address. No address, no request." },
        ],
    },
    Lesson {
        slug: "client-and-server",
        title: "Client vs server: who does what",
        summary: "Sort the jobs of a web application into the browser's and the server's, then check your answers.",
        text: &[
            Para("Every web application is split in two. The browser (the client) deals with the person in front of the screen. The server deals with data, rules and trust."),
            Table(&["The browser's job", "The server's job"], &[
                &["drawing the interface", "authentication"],
                &["form input", "database access"],
                &["button clicks", "business rules"],
                &["basic validation", "security checks"],
                &["sending requests", "data processing"],
            ]),
            Para("A useful rule: anything the user could tamper with belongs in the browser only as a convenience. Anyone can change the code their own browser runs, so every decision that matters is made, or made again, on the server."),
        ],
        kind: Kind::Sort,
        task: "Put each task on the side that does it, then press Check.",
        tries: &[],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "The browser already checked that the e-mail field has an @. Must the server check again?", answer: "Yes. The browser's check only spares the user a round trip; anyone can bypass it by sending the request by other means." },
        ],
    },
    Lesson {
        slug: "https",
        title: "HTTP vs HTTPS",
        summary: "What TLS adds (encryption, integrity, authenticity), its handshake in six steps, and what an eavesdropper sees in each case.",
        text: &[
            Para("HTTP is a protocol, a set of rules: how to send data, in what format and order, how the two sides know a message is complete, and how to report success or failure. It is the language browsers and servers share."),
            Para("Its weakness: it travels as plain text. Anyone on the path (the café's Wi-Fi, a provider, a compromised router) can read it, passwords included, and can change it on the way."),
            Para("HTTPS is the same HTTP carried inside TLS (older name: SSL). TLS uses public-key cryptography to give three guarantees: encryption (nobody else can read it), integrity (nobody can alter it unnoticed) and authenticity (you are talking to the real server)."),
            Steps(&[
                "The browser connects to the server.",
                "The server presents its certificate.",
                "The browser checks that certificate.",
                "The two agree on encryption keys.",
                "A secure tunnel is up.",
                "HTTP messages travel inside the tunnel.",
            ]),
            Table(&["", "HTTP", "HTTPS"], &[
                &["Encryption", "none", "yes"],
                &["Safety", "unsafe", "secure"],
                &["Speed", "marginally faster", "the difference is negligible"],
                &["Search engines", "penalised", "preferred"],
                &["Today", "on its way out", "the standard"],
            ]),
        ],
        kind: Kind::Https,
        task: "Compare what someone listening on the network would see, then send a real request and look for its TLS phase.",
        tries: &[
            Try::get("A plain-HTTP request to the lab", "/lab/get", "Over http:// there is no TLS phase: the timing says “skipped”, with the reason."),
            Try::get("An HTTPS request (needs the internet)", "https://httpbin.org/get", "If the server sends Timing-Allow-Origin, the browser reports a TLS phase; otherwise it is hidden and labelled so."),
            Try::over_tls(
                "The same request to the lab over HTTPS",
                On::LabH2,
                "/lab/get?over=https",
                "On a new connection the TLS handshake is a measured phase of its own, between connect and the request. Send it again: the connection, and the keys agreed, are reused, so there is no handshake at all.",
            ),
            Try::over_tls(
                "HTTPS to the lab, HTTP/1.1 only",
                On::LabHttp11,
                "/lab/get?over=https-http1.1",
                "The same certificate, the same handshake; the journey names the protocol the two sides agreed on: http/1.1 here, h2 on the other.",
            ),
        ],
        panel: Panel::Timing,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Over HTTPS, can an eavesdropper see which website you are visiting?", answer: "Usually the server's name and address, yes (DNS and the TLS handshake reveal them), but not the path, the headers, the cookies or the body." },
            Check { question: "Which of TLS's three guarantees stops someone from changing a page on its way to you?", answer: "Integrity: any change would be detected." },
        ],
    },
    Lesson {
        slug: "the-cycle",
        title: "The request/response cycle, step by step",
        summary: "The seven steps of one request, from your click to the rendered page, each with the number your browser measured.",
        text: &[
            Para("One request, one response: there is never a response without a request, and never a second response to the same request. The cycle runs like this."),
            Steps(&[
                "You act: type a URL, click a link, submit a form. The browser decides it needs to send a request.",
                "DNS resolution: where is this name? No IP address, no request.",
                "Connection: the browser opens a TCP connection to the server, plus a TLS handshake for HTTPS.",
                "The request is sent. The browser waits; nothing is drawn yet.",
                "The server works: it receives the request, matches the URL, checks who you are, runs the logic, queries the database, prepares the answer. This is where frameworks such as Flask, Django or FastAPI do their part.",
                "The response is sent, and the server forgets the request.",
                "The browser handles the response: reads the status, parses the headers, renders the HTML, runs scripts, and requests whatever else the page needs.",
            ]),
            Para("Every stylesheet, script and image starts its own cycle. Reloading the page starts fresh ones too: new requests, new responses."),
        ],
        kind: Kind::Request,
        task: "Send a request whose server work takes half a second, then play the journey and step through it.",
        tries: &[
            Try::get("A request the server takes 0.5 s over", "/lab/delay/0.5", "Step 5, the server's work, lasts about 500 ms; the steps before it last a fraction of a millisecond on a loopback connection."),
            Try::get("A quick one", "/lab/get", "Every step is short; each still shows the browser's own number, or why it was skipped."),
        ],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "At which step does a Django or FastAPI application run your code?", answer: "Step 5, server processing: after the request has arrived and before the response is sent." },
            Check { question: "You press reload. Does the browser get the old response again?", answer: "It sends a new request and gets a new response (which may say “nothing changed, use your copy”)." },
        ],
    },
    Lesson {
        slug: "what-breaks",
        title: "What breaks the cycle",
        summary: "A DNS failure, a network error, a server crash and a timeout, each fired for real, and how to tell them apart.",
        text: &[
            Table(&["What goes wrong", "What you get"], &[
                &["DNS failure", "the request is never sent"],
                &["network error", "no response at all"],
                &["server crash", "a 500 error"],
                &["timeout", "the browser gives up waiting"],
            ]),
            Para("Only one of the four produces a response: a crashing server still answers, with a 500. For the other three the page gets no response at all. For safety, a page's JavaScript cannot even tell a DNS failure from a refused connection or a blocked cross-origin request; they look alike. Here you know which one you fired, and the journey shows where each one stops."),
        ],
        kind: Kind::Request,
        task: "Fire each failure and see where the journey stops.",
        tries: &[
            Try::get("DNS failure: a name that does not exist", "http://no-such-host.invalid/", "No address, so no request: a network error before anything reaches a server (.invalid names never resolve)."),
            Try::get("Network error: nobody listening", "http://127.0.0.1:2/", "The connection is refused: a network error, no response."),
            Try::get("Server crash: 500", "/lab/status/500", "A response arrives, with a 5xx status: the server failed."),
            Try { label: "Timeout: the server takes 5 s, we wait 1 s", method: "GET", url: "/lab/delay/5", headers: "", body: "", timeout_ms: 1000, expect: "After one second the browser gives up: a timeout, no response.", on: On::ThisPage },
        ],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Of DNS failure, network error, server crash and timeout, which one gives you a status code?", answer: "Only the server crash: the server still answers, with a 500." },
            Check { question: "Your page's fetch fails with “TypeError: Failed to fetch”. Can the page know whether DNS failed or the connection was refused?", answer: "No. The browser hides the difference from pages on purpose; the DevTools network panel (or Roundtrip, for requests it fires itself) can show it." },
        ],
    },
    Lesson {
        slug: "urls",
        title: "URLs and query parameters",
        summary: "A URL says where to send a request and what to ask for: scheme, host, port, path, query and fragment, taken apart live.",
        text: &[
            Para("A URL is an address with parts. It tells the browser where to send the request and what to ask for once there."),
            Table(&["Part", "Example", "Says"], &[
                &["scheme", "https", "which protocol (and so whether TLS is used)"],
                &["host", "example.com", "which server (found through DNS)"],
                &["port", ":443", "which door on that server; usually implied by the scheme"],
                &["path", "/search", "which resource"],
                &["query", "?q=python&page=2", "parameters: filters and options"],
                &["fragment", "#results", "a place inside the page; never sent to the server"],
            ]),
            Para("A handy summary of the whole course: the URL says where, query parameters are filters, headers are metadata, cookies are memory."),
        ],
        kind: Kind::Request,
        task: "Edit the query parameters in the table under the request bar and watch the URL change, then send it and read the parameters the server received.",
        tries: &[
            Try::get("A URL with a query and a fragment", "/lab/get?q=python&page=2#results", "The server receives q and page; the #results fragment never leaves the browser."),
            Try::get("Characters that need escaping", "/lab/get?city=S%C3%A3o%20Paulo&a%26b=1", "Spaces, & and non-ASCII letters travel percent-encoded and arrive decoded."),
        ],
        panel: Panel::Raw,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Which part of https://example.com/docs?page=2#intro is never sent to the server?", answer: "The fragment, #intro. The browser keeps it to scroll to the right place." },
            Check { question: "Why is there no port in most URLs?", answer: "The scheme implies one: 80 for http, 443 for https." },
        ],
    },
    Lesson {
        slug: "cookies",
        title: "Cookies: memory for stateless HTTP",
        summary: "The server sets a cookie, the browser stores it and sends it back with every request: step through it for real.",
        text: &[
            Para("HTTP forgets everything between requests. Cookies are how a site remembers you anyway."),
            List(&[
                "A cookie is a small piece of data, a name and a value.",
                "The server asks for it to be stored with a Set-Cookie header in a response.",
                "The browser keeps it and sends it back, in a Cookie header, with every later request to that site.",
            ]),
            Para("The server still remembers nothing itself: it is reminded on each request. Attributes on Set-Cookie decide how long the cookie lives (Max-Age), which paths it goes to (Path), whether the page's JavaScript may read it (HttpOnly), whether it travels only over HTTPS (Secure), and whether other sites' requests carry it (SameSite)."),
        ],
        kind: Kind::Cookies,
        task: "Walk through the four steps: the server sets a cookie, the browser stores it, sends it back, and the server counts your visits.",
        tries: &[],
        panel: Panel::Journey,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "Where is a cookie stored, and who sends it back?", answer: "In the browser. The browser attaches it to every later request to the site, without the page having to do anything." },
            Check { question: "A cookie is marked HttpOnly. Can the page's JavaScript read it? Is it still sent to the server?", answer: "JavaScript cannot read it (document.cookie does not show it), but the browser still sends it with each request." },
        ],
    },
    Lesson {
        slug: "authentication",
        title: "Authentication basics",
        summary: "401 asks who you are, 403 says you may not: log in to the lab, get a session cookie, and see 401 turn into 200.",
        text: &[
            Para("Because HTTP is stateless, “being logged in” is an illusion built from cookies. You send your name and password once; if they are right, the server answers with a Set-Cookie holding a session token, and the browser sends that token back with every request after."),
            Steps(&[
                "Ask for a private page without logging in: 401, the server does not know who you are.",
                "Log in with a wrong password: 401 again.",
                "Log in with the right one: 200, and a session cookie arrives (HttpOnly, so no script can steal it).",
                "Ask for the private page again: the cookie goes along, and the answer is 200.",
                "Ask for the administrators' page: 403. The server knows exactly who you are, and you are not an administrator.",
            ]),
            Para("The lab's practice account is user learner, password opensesame. Checking passwords and permissions is always the server's job (lesson 8)."),
        ],
        kind: Kind::Request,
        task: "Follow the five steps in order with the buttons below.",
        tries: &[
            Try::get("1. Private page, not logged in", "/lab/account", "401 Unauthorized."),
            Try::with("2. Log in with a wrong password", "POST", "/lab/login", "user=learner&password=letmein", "401 Unauthorized: wrong name or password."),
            Try::with("3. Log in with the right password", "POST", "/lab/login", "user=learner&password=opensesame", "200 OK; the lab sets a session cookie (you cannot read it from JavaScript, but the next request carries it)."),
            Try::get("4. Private page again", "/lab/account", "200 OK: the session cookie told the server who you are."),
            Try::get("5. The administrators' page", "/lab/admin", "403 Forbidden: known, and not allowed."),
            Try::with("Log out", "POST", "/lab/logout", "", "200 OK; the lab expires the cookie, and the private page is 401 again."),
        ],
        panel: Panel::Body,
        speed: Speed::Slow10,
        checks: &[
            Check { question: "After logging in, how does the server know it is you on the next request?", answer: "The browser sends the session cookie back with it; the server looks the session up." },
            Check { question: "Logged in as learner, you open /lab/admin and get 403. Will logging in again help?", answer: "No. 403 means the server knows who you are; your account lacks the permission." },
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_lessons_in_the_issue_order_with_unique_slugs() {
        assert_eq!(LESSONS.len(), 14);
        let mut slugs: Vec<_> = LESSONS.iter().map(|l| l.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 14);
        assert_eq!(LESSONS[4].slug, "methods");
        assert_eq!(LESSONS[13].slug, "authentication");
        for l in LESSONS {
            assert!(l.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", l.slug);
        }
    }

    #[test]
    fn every_lesson_has_text_questions_a_short_summary_and_a_valid_default() {
        for l in LESSONS {
            assert!(!l.text.is_empty() && !l.checks.is_empty(), "{}", l.slug);
            assert!(l.summary.len() <= 160, "{}: a description search engines and chat previews show whole", l.slug);
            assert_eq!(l.default_experiment().validate(), Ok(()), "{}", l.slug);
            for t in l.tries {
                assert_eq!(t.experiment(l.speed, l.panel).validate(), Ok(()), "{}: {}", l.slug, t.label);
            }
            if l.kind == Kind::Request {
                assert!(!l.tries.is_empty(), "{}: a request lesson offers something to send", l.slug);
            }
        }
    }

    #[test]
    fn previous_and_next_walk_the_course() {
        let first = &LESSONS[0];
        assert!(first.previous().is_none());
        assert_eq!(first.next().map(|l| l.slug), Some("requests"));
        assert_eq!(LESSONS[13].next().map(|l| l.slug), None);
        assert_eq!(LESSONS[13].previous().map(|l| l.slug), Some("cookies"));
        assert_eq!(LESSONS[5].page_title(), "6. Status codes · Roundtrip");
    }

    #[test]
    fn progress_keeps_only_known_lessons_once() {
        let mut p = Progress::parse("cookies, nonsense,,cookies,<script>,urls");
        assert_eq!(p.to_stored(), "cookies,urls");
        assert!(p.mark("methods"));
        assert!(!p.mark("methods"));
        assert!(!p.mark("not-a-lesson"));
        assert_eq!(p.count(), 3);
        assert!(p.is_done("methods"));
        assert_eq!(Progress::parse("").count(), 0);
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
