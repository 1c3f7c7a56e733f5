pub mod cookies;
pub mod home;
pub mod lesson;
pub mod lessons;
pub mod not_found;
pub mod page_load;
pub mod status_codes;
pub mod timeline;

use leptos::prelude::*;
use roundtrip_model::headings::{self, Heading};

/// The heading of the page at `path` (shared with the lab, which paints it
/// into index.html before the app has loaded).
pub fn heading(path: &str) -> &'static Heading {
    headings::of(path)
}

/// The page's lead paragraph, its `code` marked as in the model.
pub fn lead(path: &str) -> impl IntoView {
    let parts = headings::lead_parts(headings::of(path).lead)
        .map(|(text, code)| if code { view! { <code>{text}</code> }.into_any() } else { text.into_any() })
        .collect_view();
    view! { <p class="lead">{parts}</p> }
}
