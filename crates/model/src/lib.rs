//! Roundtrip's model: plain data and pure functions about HTTP.
//!
//! This crate knows nothing of Leptos, web-sys or tokio. It does no I/O, so it
//! cannot fail on I/O; both the app (compiled to wasm) and the lab server use
//! it, which keeps the lab's JSON and the app's parser from drifting apart.

pub mod base64;
pub mod cookies;
pub mod echo;
pub mod exchange;
pub mod failure;
pub mod har;
pub mod headers;
pub mod headings;
pub mod journey;
pub mod lab;
#[cfg(feature = "files")]
pub mod lesson_file;
pub mod lessons;
pub mod link;
pub mod pageload;
pub mod pages;
pub mod protocols;
pub mod quiz;
pub mod replies;
pub mod sequence;
pub mod server_timing;
pub mod snapshot;
pub mod split;
pub mod status;
#[doc(hidden)]
pub mod testing;
pub mod timing;
pub mod tls;
pub mod url;
pub mod waterfall;
pub mod wire;
