//! The lab: an HTTP server that serves the built app and the practice
//! endpoints under `/lab/` that lessons and learners hit.
//!
//! `app(config)` builds the router without a socket (tests call it directly);
//! `serve(listener, config)` runs it on a real one.

mod auth;
mod content;
mod cookies;
mod echo;
pub mod embedded;
mod error;
mod fair;
mod font;
mod hosts;
mod html;
mod index;
pub mod lessons;
mod notes;
mod pages;
mod params;
mod preview;
mod random;
mod redirect;
mod security;
pub mod server;
mod session;
pub mod shared;
mod slow;
mod status;
mod store;
mod streams;
mod timing;
pub mod tls;
mod vocab;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, on, MethodFilter};
use axum::Router;
use std::path::PathBuf;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowCredentials, AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;

pub use error::LabError;
pub use hosts::Hosts;
pub use server::Limits;

/// What the lab serves besides its endpoints.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The app Trunk built (`dist/`). Without it, `/` says how to build it.
    pub dist: Option<PathBuf>,
    /// A folder of pages to serve under `/pages/` (e.g. a site saved with
    /// "Save page as…, complete"), for the page-load explorer.
    pub pages: Option<PathBuf>,
    /// Timeouts, caps and fair shares.
    pub limits: Limits,
    /// The names the lab answers to (the Host check).
    pub hosts: Hosts,
    /// Origins besides the app's own whose pages may call the lab with the
    /// learner's cookies and read the answer (`--allow-origin`).
    pub allowed_origins: Vec<String>,
    /// Where the lab also listens over TLS (`/lab/https` tells the app).
    pub https: Option<HttpsPorts>,
    /// The origins students on the network can open (`/lab/class` tells
    /// the app, for the teacher's links); empty on loopback.
    pub class_urls: Vec<String>,
    /// Where notes and sessions are kept: this process's memory (None) or
    /// a Redis several lab processes share (`--store redis://…`).
    pub store: Option<shared::Redis>,
    /// The lessons served to the app (`/lessons/…`); None: the built-in ones.
    pub lessons: Option<std::sync::Arc<lessons::Lessons>>,
}

/// The lab's TLS listeners' ports and its certificate's pin.
#[derive(Clone, Debug, Default)]
pub struct HttpsPorts {
    pub h2: u16,
    pub http11: Option<u16>,
    pub pin: String,
}

/// Response headers the lab sends that a page's JavaScript may read across
/// origins (CORS hides all but a few "safelisted" ones unless exposed).
pub const EXPOSED_HEADERS: &[&str] = &[
    "server-timing",
    "timing-allow-origin",
    "content-length",
    "content-encoding",
    "date",
    "etag",
    "last-modified",
    "location",
    "server",
    "vary",
    "www-authenticate",
    "x-request-id",
    "x-roundtrip-connection",
];

/// How many slow requests (delay, drip, slow-server, stream) may run at once,
/// each until its last byte is sent; more wait their turn, so a flood of them
/// cannot starve the rest (and one client may hold only its share).
pub const SLOW_CONCURRENCY: usize = 64;

/// How much of a file the lab reads at a time. A response that waits on
/// the client's HTTP/2 window holds one piece (tower-http's default is
/// 64 KiB); the app's largest file still goes in a few dozen.
const FILE_CHUNK: usize = 16 * 1024;

/// No request may take longer than this, whatever it asked for.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// An endpoint that answers one method (and HEAD with GET), 405 otherwise.
fn only(method: Method) -> axum::routing::MethodRouter {
    let (filter, allowed) = match method.as_str() {
        "GET" => (MethodFilter::GET.or(MethodFilter::HEAD), "GET"),
        "POST" => (MethodFilter::POST, "POST"),
        "PUT" => (MethodFilter::PUT, "PUT"),
        "PATCH" => (MethodFilter::PATCH, "PATCH"),
        _ => (MethodFilter::DELETE, "DELETE"),
    };
    on(filter, echo::anything).fallback(move || async move { LabError::MethodNotAllowed { allowed } })
}

/// The `/lab/` endpoints.
fn lab(config: &Config) -> Router {
    let limits = &config.limits;
    let lane = fair::SlowLane::new(limits.slow_total, limits.slow_per_client);
    let slow = Router::new()
        .route("/lab/delay/{seconds}", any(slow::delay))
        .route("/lab/drip", any(slow::drip))
        .route("/lab/slow-server", any(slow::slow_server))
        .route("/lab/stream/{n}", any(slow::stream))
        .layer(axum::middleware::from_fn_with_state(lane, fair::slow_lane));
    Router::new()
        .route("/lab", any(index::index))
        .route("/lab/", any(index::index))
        .route("/lab/anything", any(echo::anything))
        .route("/lab/anything/{*rest}", any(echo::anything))
        .route("/lab/get", only(Method::GET))
        .route("/lab/post", only(Method::POST))
        .route("/lab/put", only(Method::PUT))
        .route("/lab/patch", only(Method::PATCH))
        .route("/lab/delete", only(Method::DELETE))
        .route("/lab/headers", any(echo::headers))
        .route("/lab/ip", any(echo::ip))
        .route("/lab/user-agent", any(echo::user_agent))
        .route("/lab/dump/request", any(echo::dump_request))
        .route("/lab/status/{codes}", any(status::status))
        .route("/lab/unstable", any(status::unstable))
        .route("/lab/redirect/{n}", any(redirect::redirect))
        .route("/lab/relative-redirect/{n}", any(redirect::relative))
        .route("/lab/absolute-redirect/{n}", any(redirect::absolute))
        .route("/lab/redirect-to", any(redirect::redirect_to))
        .route("/lab/cookies", any(cookies::cookies))
        .route("/lab/cookies/set", any(cookies::set))
        .route("/lab/cookies/delete", any(cookies::delete))
        .route("/lab/counter", any(cookies::counter))
        .route("/lab/html", any(content::html))
        .route("/lab/json", any(content::json_doc))
        .route("/lab/xml", any(content::xml))
        .route("/lab/robots.txt", any(content::robots))
        .route("/lab/bytes/{n}", any(content::bytes))
        .route("/lab/image/{kind}", any(content::image))
        .route("/lab/gzip", any(|req| content::encoded(content::Coding::Gzip, req)))
        .route("/lab/deflate", any(|req| content::encoded(content::Coding::Deflate, req)))
        .route("/lab/brotli", any(|req| content::encoded(content::Coding::Brotli, req)))
        .route("/lab/etag/{etag}", any(content::etag))
        .route("/lab/cache", any(content::cache))
        .route("/lab/cache/{n}", any(content::cache_for))
        .route("/lab/response-headers", any(content::response_headers))
        .route("/lab/basic-auth/{user}/{passwd}", any(auth::basic))
        .route("/lab/hidden-basic-auth/{user}/{passwd}", any(auth::hidden))
        .route("/lab/bearer", any(auth::bearer))
        .route("/lab/https", any(tls::info).with_state(config.https.clone()))
        .route("/lab/class", any(class).with_state(std::sync::Arc::new(config.class_urls.clone())))
        .route("/lab/uuid", any(vocab::uuid))
        .route("/lab/base64/{value}", any(vocab::base64))
        .route("/lab/links/{n}", any(vocab::links))
        .route("/lab/links/{n}/{offset}", any(vocab::links_at))
        .route("/lab/range/{n}", any(vocab::range))
        .route("/lab/encoding/utf8", any(vocab::utf8))
        .route("/lab/stream-bytes/{n}", any(vocab::stream_bytes))
        .route("/lab/image", any(vocab::image))
        .route("/lab/deny", any(vocab::deny))
        .route("/lab/{*rest}", any(error::unknown_endpoint))
        .merge(slow)
        .merge(stateful(config.store.as_ref()))
        .merge(fixtures())
        .layer(cors(config.allowed_origins.clone()))
}

/// The page fixtures: pages under test, which only the app may frame.
fn fixtures() -> Router {
    Router::new()
        .route("/lab/page/{name}", any(pages::page))
        .route("/lab/page/{name}/manifest.json", any(pages::manifest))
        .route("/lab/page/{name}/{kind}/{file}", any(pages::asset))
        .layer(axum::middleware::from_fn(security::framed_by_the_app_only))
}

/// Endpoints that remember visitors: each `app()` has its own memory, or
/// all share one Redis.
fn stateful(store: Option<&shared::Redis>) -> Router {
    let (lists, sessions): (notes::Lists, session::Sessions) = match store {
        None => (
            std::sync::Arc::new(shared::Shared::memory(notes::MAX_VISITORS, notes::PER_CLIENT)),
            std::sync::Arc::new(shared::Shared::memory(session::MAX_SESSIONS, session::PER_CLIENT)),
        ),
        // Each entry lives as long as its cookie: a day for a notes list, an hour for a session.
        Some(redis) => (
            std::sync::Arc::new(shared::Shared::redis(
                redis.clone(),
                "notes",
                Duration::from_secs(24 * 3600),
                notes::MAX_VISITORS,
                notes::PER_CLIENT,
            )),
            std::sync::Arc::new(shared::Shared::redis(
                redis.clone(),
                "session",
                Duration::from_secs(3600),
                session::MAX_SESSIONS,
                session::PER_CLIENT,
            )),
        ),
    };
    let notes = Router::new().route("/lab/notes", any(notes::collection)).route("/lab/notes/{id}", any(notes::item)).with_state(lists);
    let auth = Router::new()
        .route("/lab/login", any(session::login))
        .route("/lab/logout", any(session::logout))
        .route("/lab/account", any(session::account))
        .route("/lab/admin", any(session::admin))
        .with_state(sessions);
    notes.merge(auth)
}

/// The whole router: `/lab/…` endpoints, then the app with a single-page
/// fallback so that deep links such as `/lesson/status-codes?x=y` load it.
pub fn app(config: Config) -> Router {
    let lessons = config.lessons.clone().unwrap_or_else(|| std::sync::Arc::new(lessons::Lessons::built_in()));
    let site = match &config.dist {
        Some(dist) if dist.join("index.html").is_file() => roundtrip_model::headings::HEADINGS
            .iter()
            .fold(Router::new(), |r, h| r.route(h.path, axum::routing::get(preview::page).with_state((dist.clone(), h.path))))
            .route("/lesson/{slug}", axum::routing::get(preview::lesson).with_state((dist.clone(), lessons.clone())))
            .route("/lessons", axum::routing::get(preview::index).with_state((dist.clone(), lessons.clone())))
            // `cargo xtask build` writes brotli (q11) and gzip copies of the
            // hashed assets; a browser that accepts one gets it as it is.
            .fallback_service(
                ServeDir::new(dist)
                    .precompressed_br()
                    .precompressed_gzip()
                    .with_buf_chunk_size(FILE_CHUNK)
                    .fallback(ServeFile::new(dist.join("index.html"))),
            )
            .layer(axum::middleware::from_fn(cache_headers))
            .layer(axum::middleware::from_fn_with_state(dist.clone(), security::app_policy))
            .layer(CompressionLayer::new())
            .layer(axum::middleware::from_fn(directory_redirects))
            .layer(axum::middleware::from_fn(reject_unservable_paths)),
        _ => Router::new().fallback(not_built),
    };
    let pages = match &config.pages {
        Some(dir) => Router::new()
            .route("/pages/", any(saved_pages).with_state(dir.clone()))
            .route("/pages/{*file}", any(saved_pages).with_state(dir.clone()))
            .layer(axum::middleware::from_fn(security::framed_by_the_app_only))
            .layer(axum::middleware::from_fn(directory_redirects))
            .layer(axum::middleware::from_fn(reject_unservable_paths)),
        None => Router::new(),
    };
    let hosts = std::sync::Arc::new(config.hosts.clone());
    let lesson_files =
        Router::new().route("/lessons/{file}", axum::routing::get(lessons::serve)).with_state(lessons).layer(CompressionLayer::new());
    lab(&config)
        .merge(lesson_files)
        .merge(pages)
        .merge(site)
        .layer(axum::middleware::from_fn(timing::stamp))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, config.limits.request_timeout))
        .layer(axum::middleware::from_fn_with_state(hosts, hosts::check))
        .layer(axum::middleware::from_fn(security::everywhere))
}

/// `/lab/class`: where students on the network reach this lab.
async fn class(axum::extract::State(urls): axum::extract::State<std::sync::Arc<Vec<String>>>) -> Response {
    axum::Json(roundtrip_model::lab::ClassInfo { urls: urls.to_vec() }).into_response()
}

/// A path that decodes to a NUL or another control character names no file
/// (the file system would refuse it with an I/O error, a 500): say so.
async fn reject_unservable_paths(req: Request, next: Next) -> Response {
    let decoded = roundtrip_model::echo::percent_decode_bytes(req.uri().path());
    if decoded.iter().any(|b| b.is_ascii_control()) {
        let path = params::clip(req.uri().path());
        return LabError::BadParam { name: "path", value: path, allowed: "a path without control characters such as %00" }.into_response();
    }
    next.run(req).await
}

/// `--pages DIR`: the folder's files under `/pages/…`. `/pages` itself stays
/// the app's page-load explorer, which `/pages?har=/pages/x.har` opens.
async fn saved_pages(axum::extract::State(dir): axum::extract::State<PathBuf>, mut req: Request) -> Response {
    let inside = req.uri().path_and_query().map_or("/", |pq| pq.as_str().strip_prefix("/pages").unwrap_or("/"));
    match inside.parse() {
        Ok(uri) => *req.uri_mut() = uri,
        Err(_) => return LabError::NotFound { path: params::clip(req.uri().path()) }.into_response(),
    }
    use tower::ServiceExt;
    match ServeDir::new(dir).with_buf_chunk_size(FILE_CHUNK).oneshot(req).await {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    }
}

/// A folder asked for without its final `/` is redirected to it; the
/// redirect names the path as the browser asked for it, with one leading
/// `/` (a `//name/` or `/\name/` Location would send the browser to the host
/// "name") and with any prefix the folder is served under (`/pages/site` →
/// `/pages/site/`, where the file server alone sees `/site`).
async fn directory_redirects(req: Request, next: Next) -> Response {
    let asked = req.uri().path().trim_start_matches(['/', '\\']).to_owned();
    let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    let mut res = next.run(req).await;
    let to_folder =
        res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.split('?').next().unwrap_or("").ends_with('/'));
    if res.status().is_redirection() && to_folder && !asked.ends_with('/') {
        if let Ok(location) = HeaderValue::from_str(&format!("/{asked}/{query}")) {
            res.headers_mut().insert(header::LOCATION, location);
        }
    }
    res
}

/// Trunk names built assets with a content hash (`app-0123456789abcdef.js`):
/// they never change, so browsers may keep them for good. Everything else,
/// above all `index.html`, must be checked each time.
async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // A precompressed copy (`.br`, `.gz`) is picked by Accept-Encoding: a
    // shared cache must keep them apart.
    if res.headers().contains_key(header::CONTENT_ENCODING) && !res.headers().contains_key(header::VARY) {
        res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// `name-<16 hex digits>.ext`, as Trunk writes them.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Any origin may call the lab and read its answers and headers (lessons
/// teach exactly that), but only without the learner's cookies. With
/// credentials, only the app's own origin (the lab's own scheme and Host) and
/// origins named with `--allow-origin`: another site, or another server on
/// this machine at any port, must not read a learner's account or notes.
fn cors(allowed: Vec<String>) -> CorsLayer {
    let allowed: std::sync::Arc<Vec<String>> = std::sync::Arc::new(allowed.into_iter().map(|o| o.to_ascii_lowercase()).collect());
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_credentials(AllowCredentials::predicate(move |origin, parts| {
            let tls = parts.extensions.get::<server::OverTls>().is_some_and(|t| t.0);
            credentialed(origin.as_bytes(), &parts.headers, tls, &allowed)
        }))
        .expose_headers(EXPOSED_HEADERS.iter().map(|h| HeaderName::from_static(h)).collect::<Vec<_>>())
        .max_age(std::time::Duration::from_secs(600))
}

/// May a page of `origin` use the learner's cookies with the lab?
/// The app's own origin is the lab's scheme (`https` over TLS) and Host.
pub fn credentialed(origin: &[u8], headers: &axum::http::HeaderMap, tls: bool, allowed: &[String]) -> bool {
    let Ok(origin) = std::str::from_utf8(origin) else { return false };
    let origin = origin.to_ascii_lowercase();
    let scheme = if tls { "https" } else { "http" };
    let own =
        headers.get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(|h| origin == format!("{scheme}://{}", h.to_ascii_lowercase()));
    own || allowed.contains(&origin)
}

async fn not_built() -> impl IntoResponse {
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Html("<!doctype html><title>Roundtrip: app not built</title><h1>The app is not built yet</h1><p>Run <code>cargo xtask serve</code>: it builds the app and serves it here. The lab's endpoints under <a href=\"/lab/anything\">/lab/</a> work already.</p>"),
    )
}

/// Serves `app(config)` on `listener` until `shutdown` completes, then
/// closes within `config.limits.shutdown_deadline`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_all(vec![(listener, server::Transport::Plain)], config, shutdown).await
}

/// Several listeners (plain HTTP, HTTPS with h2, HTTPS with http/1.1 only)
/// serving one app with one memory: a note made over one is seen over all.
pub async fn serve_all(
    listeners: Vec<(tokio::net::TcpListener, server::Transport)>,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = config.limits.clone();
    let router = app(config);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut running = tokio::task::JoinSet::new();
    for (listener, transport) in listeners {
        let mut stopped = stopped.clone();
        let done = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        running.spawn(server::run(listener, router.clone(), limits.clone(), transport, done));
    }
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let mut result = Ok(());
    while let Some(finished) = running.join_next().await {
        if let Ok(Err(e)) = finished {
            result = Err(e);
        }
    }
    result
}
