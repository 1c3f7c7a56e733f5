//! The lab: an HTTP server that serves the built app and the practice
//! endpoints under `/lab/` that lessons and learners hit.
//!
//! `app(config)` builds the router without a socket (tests call it directly);
//! `serve(listener, config)` runs it on a real one.

mod echo;
mod error;
mod shaped;
mod timing;

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{Html, IntoResponse};
use axum::routing::any;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

pub use error::LabError;

/// What the lab serves besides its endpoints.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The app Trunk built (`dist/`). Without it, `/` says how to build it.
    pub dist: Option<PathBuf>,
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
    "x-request-id",
];

/// The whole router: `/lab/…` endpoints, then the app with a single-page
/// fallback so that deep links such as `/lesson/status-codes?x=y` load it.
pub fn app(config: Config) -> Router {
    let lab = Router::new()
        .route("/lab/anything", any(echo::anything))
        .route("/lab/anything/{*rest}", any(echo::anything))
        .route("/lab/delay/{seconds}", any(shaped::delay))
        .route("/lab/status/{code}", any(shaped::status))
        .route("/lab/{*rest}", any(error::unknown_endpoint))
        .layer(cors());
    let site = match &config.dist {
        Some(dist) if dist.join("index.html").is_file() => Router::new().fallback_service(
            ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html"))),
        ),
        _ => Router::new().fallback(not_built),
    };
    lab.merge(site).layer(axum::middleware::from_fn(timing::stamp))
}

/// Any origin may call the lab, with cookies, and read its headers: the app can
/// also be served from elsewhere and still see the lab's timings.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_credentials(true)
        .expose_headers(EXPOSED_HEADERS.iter().map(|h| HeaderName::from_static(h)).collect::<Vec<_>>())
        .max_age(std::time::Duration::from_secs(600))
}

async fn not_built() -> impl IntoResponse {
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Html("<!doctype html><title>Roundtrip: app not built</title><h1>The app is not built yet</h1><p>Run <code>cargo xtask serve</code>: it builds the app and serves it here. The lab's endpoints under <a href=\"/lab/anything\">/lab/</a> work already.</p>"),
    )
}

/// Serves `app(config)` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(config).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
