//! Roundtrip: the Leptos app. Components take model data and signals; only
//! `web` touches the browser.

pub mod app;
pub mod components;
pub mod lab_status;
pub mod recorder;
pub mod routes;
pub mod tasks;
pub mod web;

/// Mounts the app on `<body>`.
pub fn mount() {
    web::timing::keep_buffer(5_000);
    leptos::mount::mount_to_body(app::App);
}
