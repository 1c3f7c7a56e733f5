//! The page itself: its title and description, its address, what it keeps in
//! localStorage, and the clipboard.

use super::window;

/// Brings a result the learner just asked for into view on the next frame
/// (once the page has drawn it): its top near the top of the window, unless
/// it already starts in the upper half; smoothly, unless the learner asked
/// for reduced motion. Keyboard focus stays where it is.
pub fn reveal(el: web_sys::Element) {
    leptos::prelude::request_animation_frame(move || {
        let top = el.get_bounding_client_rect().top();
        let height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
        if (0.0..=height / 2.0).contains(&top) {
            return;
        }
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_behavior(if super::raf::prefers_reduced_motion() {
            web_sys::ScrollBehavior::Auto
        } else {
            web_sys::ScrollBehavior::Smooth
        });
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    });
}

/// Sets the tab's title and the `<meta name="description">`.
pub fn set_title_and_description(title: &str, description: &str) {
    let Some(doc) = window().document() else { return };
    doc.set_title(title);
    if let Ok(Some(meta)) = doc.query_selector("meta[name=description]") {
        let _ = meta.set_attribute("content", description);
    }
}

/// The page's query string, with its `?` (empty without one).
pub fn search() -> String {
    window().location().search().unwrap_or_default()
}

/// The page's fragment, with its `#` (empty without one). It never reaches a server.
pub fn fragment() -> String {
    window().location().hash().unwrap_or_default()
}

/// This page's address without its query or fragment.
pub fn address_without_query() -> String {
    let location = window().location();
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// Where a link's address leads, as the browser reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// On this page's origin: the full address.
    SameOrigin(String),
    /// On another origin (`"null"` for one with none, such as `data:`).
    OtherOrigin { href: String, origin: String },
    /// Not an address the browser can read.
    NotAUrl,
}

/// Resolves `value` as the browser resolves a link on this page (`new
/// URL(value, location.href)`): a backslash reads as a slash, and tabs and
/// line breaks are dropped, so `/\host` and `/<TAB>/host` lead to another
/// origin, which only the browser's own parser tells reliably.
pub fn link_target(value: &str) -> LinkTarget {
    let location = window().location();
    link_target_against(value, &location.href().unwrap_or_default())
}

/// [`link_target`] on a page at `base`: same origin means `base`'s origin.
pub fn link_target_against(value: &str, base: &str) -> LinkTarget {
    let (Ok(url), Ok(base)) = (web_sys::Url::new_with_base(value, base), web_sys::Url::new(base)) else {
        return LinkTarget::NotAUrl;
    };
    let origin = url.origin();
    if origin == base.origin() && origin != "null" {
        LinkTarget::SameOrigin(url.href())
    } else {
        LinkTarget::OtherOrigin { href: url.href(), origin }
    }
}

/// This page's path (`/lesson/x`), as the address bar shows it.
pub fn path() -> String {
    window().location().pathname().unwrap_or_default()
}

/// This page's path and query (`/lesson/x?method=GET…`), as the address bar
/// shows them.
pub fn path_and_query() -> String {
    let location = window().location();
    format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
}

/// A value kept in localStorage ("" when there is none, or no storage: a
/// private window may refuse it, and the app works without).
pub fn stored(key: &str) -> String {
    window().local_storage().ok().flatten().and_then(|s| s.get_item(key).ok().flatten()).unwrap_or_default()
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(key, value);
    }
}

/// Puts `text` on the clipboard; says why not when the browser refuses.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let promise = window().navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|e| super::js_message(&e))
}

/// The theme the learner chose ("light" or "dark"), or None to follow the system.
pub fn chosen_theme() -> Option<String> {
    Some(stored(THEME_KEY)).filter(|t| t == "light" || t == "dark")
}

/// True when the system asks for dark colours.
pub fn system_prefers_dark() -> bool {
    window().match_media("(prefers-color-scheme: dark)").ok().flatten().is_some_and(|m| m.matches())
}

/// Applies a theme to the page (`html[data-theme]`) and remembers it.
pub fn apply_theme(theme: &str, remember: bool) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme);
    }
    if remember {
        store(THEME_KEY, theme);
    }
}

const THEME_KEY: &str = "roundtrip.theme";

/// True when this page's own response carried the lab's Server-Timing mark
/// (no request needed); None when the browser does not say (serverTiming is
/// only given to secure contexts) or the mark is absent.
pub fn served_by_lab() -> Option<bool> {
    use wasm_bindgen::JsCast;
    let entries = window().performance()?.get_entries_by_type("navigation");
    let nav: web_sys::PerformanceResourceTiming = entries.get(0).dyn_into::<web_sys::PerformanceEntry>().ok()?.unchecked_into();
    let marked = nav.server_timing().iter().any(|t| {
        let t: web_sys::PerformanceServerTiming = t.unchecked_into();
        t.name() == "total" && t.description() == roundtrip_model::server_timing::LAB_TOTAL
    });
    marked.then_some(true)
}
