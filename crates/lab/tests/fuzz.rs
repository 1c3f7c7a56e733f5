//! Random requests thrown at the router: whatever the path, query, headers or
//! body, the lab answers without a 5xx, unless the request asked for one.
//! Tokio's clock is paused, so deliberate delays cost no real time.

use axum::body::Body;
use axum::http::Request;
use roundtrip_lab::{app, Config};
use tower::ServiceExt;

/// xorshift64*: reproducible from its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// A short token: numbers near the bounds, junk, encodings, non-ASCII.
    fn token(&mut self) -> String {
        const PIECES: &[&str] = &[
            "0",
            "1",
            "2",
            "-1",
            "10",
            "11",
            "20",
            "21",
            "99",
            "100",
            "199",
            "200",
            "204",
            "304",
            "404",
            "500",
            "599",
            "600",
            "0.5",
            "1e3",
            "NaN",
            "inf",
            "65536",
            "18446744073709551616",
            "a",
            "zz",
            "%00",
            "%2F",
            "%2e%2e",
            "..",
            "%ZZ",
            "é",
            "日本",
            "💥",
            "+",
            " ",
            "'",
            "\"",
            "<script>",
            ";",
            ",",
            ":",
            "=",
            "&",
            "tiny",
            "median",
            "heavy",
            "png",
            "svg",
            "webp",
            "css",
            "js",
            "font",
            "image",
            "fetch",
            "0.png",
            "3.css",
            "ada",
            "lovelace",
        ];
        let n = 1 + self.below(3);
        (0..n).map(|_| self.pick(PIECES).to_owned()).collect()
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~%".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn random_request(g: &mut Gen) -> (String, Request<Body>) {
    let routes: Vec<&str> = roundtrip_model::lab::all().map(|e| e.route).collect();
    let mut path = String::new();
    if g.below(10) == 0 {
        for _ in 0..1 + g.below(4) {
            path.push('/');
            path.push_str(&percent_encode(&g.token()));
        }
    } else {
        // A real route with its {placeholders} and options filled at random.
        let route = g.pick(&routes);
        let route = route.split(['?', '[']).next().unwrap();
        for segment in route.split('/').filter(|s| !s.is_empty()) {
            path.push('/');
            if segment.starts_with('{') {
                path.push_str(&percent_encode(&g.token()));
            } else {
                path.push_str(segment);
            }
        }
        if g.below(4) == 0 {
            path.push('/');
            path.push_str(&percent_encode(&g.token()));
        }
    }
    if g.below(2) == 0 {
        const KEYS: &[&str] = &[
            "url",
            "status_code",
            "duration",
            "numbytes",
            "delay",
            "code",
            "think",
            "failure_rate",
            "name",
            "Path",
            "Max-Age",
            "SameSite",
            "Secure",
            "HttpOnly",
            "require",
            "X-Test",
            "Content-Length",
            "flavour",
        ];
        let pairs: Vec<String> = (0..1 + g.below(4)).map(|_| format!("{}={}", g.pick(KEYS), percent_encode(&g.token()))).collect();
        path.push('?');
        path.push_str(&pairs.join("&"));
    }
    let method = g.pick(&["GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
    let mut builder = Request::builder().method(method).uri(&path).header("host", "lab.test");
    const HEADERS: &[&str] = &[
        "cookie",
        "authorization",
        "if-none-match",
        "if-match",
        "if-modified-since",
        "accept",
        "accept-encoding",
        "content-type",
        "origin",
        "user-agent",
        "x-anything",
    ];
    for _ in 0..g.below(4) {
        let value = match g.below(4) {
            0 => format!("Basic {}", roundtrip_model::base64::encode(g.token().as_bytes())),
            1 => format!("Bearer {}", percent_encode(&g.token())),
            2 => format!("{}={}; {}", percent_encode(&g.token()), percent_encode(&g.token()), percent_encode(&g.token())),
            _ => percent_encode(&g.token()),
        };
        builder = builder.header(g.pick(HEADERS), value);
    }
    let body = if g.below(3) == 0 { Body::from(g.token()) } else { Body::empty() };
    (format!("{method} {path}"), builder.body(body).expect("a valid request"))
}

/// Paths where a 5xx is the point.
fn asked_for_a_5xx(line: &str) -> bool {
    ["/lab/status/", "/lab/unstable", "/lab/drip"].iter().any(|p| line.contains(p))
}

#[tokio::test(start_paused = true)]
async fn random_requests_never_get_an_unasked_5xx() {
    let dist = std::env::temp_dir().join(format!("roundtrip-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js"), "/* app */").unwrap();
    let router = app(Config {
        dist: Some(dist),
        hosts: roundtrip_lab::Hosts { names: vec!["lab.test".into()], ..Default::default() },
        ..Config::default()
    });
    for seed in 1..=3000u64 {
        let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let (line, request) = random_request(&mut g);
        let response = router.clone().oneshot(request).await.expect("the router is infallible");
        let status = response.status().as_u16();
        assert!(status < 500 || asked_for_a_5xx(&line), "seed {seed}: {line} answered {status}");
    }
}

/// A client that starts a body and never finishes it is cut off at the
/// lab's request timeout with 408, not left hanging.
#[tokio::test(start_paused = true)]
async fn a_body_that_never_arrives_times_out_with_408() {
    let never = futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
    let request = Request::builder()
        .method("POST")
        .uri("/lab/anything")
        .header("host", "lab.test")
        .header("content-length", "100")
        .body(Body::from_stream(never))
        .unwrap();
    let started = tokio::time::Instant::now();
    let response =
        app(Config { hosts: roundtrip_lab::Hosts { names: vec!["lab.test".into()], ..Default::default() }, ..Config::default() })
            .oneshot(request)
            .await
            .unwrap();
    assert_eq!(response.status().as_u16(), 408);
    assert!(started.elapsed() >= roundtrip_lab::REQUEST_TIMEOUT);
}
