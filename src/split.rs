//! Code that arrives when it is first needed.
//!
//! Every route but the lesson index is a split point: `cargo xtask build`
//! (feature `split`, see ARCHITECTURE.md "The wasm, split") cuts its code out
//! of the first wasm into a file the browser fetches when the route is
//! opened (the lab names it in a page that opens it, and index.html's
//! loader fetches it beside the first wasm). Without the
//! feature (wasm-bindgen-test, a plain `cargo build`) the same functions
//! simply return at once.
//!
//! Split points sharing a module name share one file, and the split makes a
//! chunk file of the code each group of files shares, so more files means
//! many more small ones. Measured on a throttled phone (`cargo xtask bench`),
//! one file per route and per lesson experiment cost more in requests (44 to
//! 78 files a page over HTTP/1.1's six connections) than it saved in bytes;
//! four files do better (model::split):
//! - `roundtrip_learn`: the workbench, the lessons, status codes, cookies;
//! - `roundtrip_pages`: the page-load explorer, also a lesson experiment;
//! - `roundtrip_timeline`;
//! - `roundtrip_results`: the views of a request's result, fetched in the
//!   background once a page with a request bar is up (none is shown before
//!   a Send, or a link's recorded run, which `mount` waits for).
//!
//! A split function hands back a plain function pointer that builds the
//! view: the pointer lives in the loaded file, and a pointer is `Copy`, so
//! it can sit in a signal. A file that fails to arrive (a dropped
//! connection, an old tab after a new release) is an error shown with a
//! retry, never a panic: `fallible` makes the loader return it, and a
//! failure is not remembered, so "Try again" fetches it afresh.

use crate::components::request_bar::Draft;
use crate::tasks::Tasks;
use leptos::prelude::*;
use roundtrip_model::exchange::{Exchange, RequestSpec};
use roundtrip_model::failure::Failure;
use roundtrip_model::journey::Speed;
use roundtrip_model::link::Panel;
use roundtrip_model::snapshot::Snapshot;

/// A route's code did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Builds a route's page; it lives in the route's own file.
pub type MakeView = fn() -> AnyView;

/// One split point: `$load` returns the builder of `$view` once its file
/// has arrived, `$preload` only fetches the file.
macro_rules! split_point {
    ($load:ident, $preload:ident, $module:ident, $view:expr) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $load() -> Result<MakeView, ChunkError> {
            fn make() -> AnyView {
                $view.into_any()
            }
            Ok(make)
        }

        #[cfg(not(feature = "split"))]
        async fn $load() -> Result<MakeView, ChunkError> {
            fn make() -> AnyView {
                $view.into_any()
            }
            Ok(make)
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), ChunkError> {
            Ok(())
        }
    };
}

use crate::components::page_explorer::PageExplorer;
use crate::routes::{cookies::Cookies, home::Home, lesson::LessonPage, page_load::PageLoad, status_codes::StatusCodes, timeline::Timeline};
use roundtrip_model::lessons::Kind;

split_point!(load_home, preload_home, roundtrip_learn, view! { <Home/> });
split_point!(load_lesson, preload_lesson, roundtrip_learn, view! { <LessonPage/> });
split_point!(load_timeline, preload_timeline, roundtrip_timeline, view! { <Timeline/> });
split_point!(load_pages, preload_pages, roundtrip_pages, view! { <PageLoad/> });
split_point!(load_status_codes, preload_status_codes, roundtrip_learn, view! { <StatusCodes/> });
split_point!(load_cookies, preload_cookies, roundtrip_learn, view! { <Cookies/> });
// The page-load explorer, also a lesson's experiment: it comes with
// `/pages`' file (most lessons send a request and need none of it). The
// other experiments (sorting, the cookie stepper) are in the lessons' own
// file already.
split_point!(load_lesson_page_load, preload_lesson_page_load, roundtrip_pages, view! { <PageExplorer/> });

/// What a page opens that arrives when first needed: six routes, and the
/// page-load lesson's experiment (their files: `model::split`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Home,
    Lesson,
    Timeline,
    Pages,
    StatusCodes,
    Cookies,
    LessonPageLoad,
}

impl Part {
    /// The part a path opens, if it is one of them.
    pub fn of_path(path: &str) -> Option<Part> {
        Some(match path.trim_end_matches('/') {
            "" => Part::Home,
            "/timeline" => Part::Timeline,
            "/pages" => Part::Pages,
            "/status-codes" => Part::StatusCodes,
            "/cookies" => Part::Cookies,
            p if p.starts_with("/lesson/") => Part::Lesson,
            _ => return None,
        })
    }

    /// The part a lesson's experiment is in, if it has one of its own.
    pub fn of_experiment(kind: Kind) -> Option<Part> {
        match kind {
            Kind::PageLoad => Some(Part::LessonPageLoad),
            Kind::Request | Kind::Https | Kind::Sort | Kind::Cookies => None,
        }
    }

    /// A whole page (its messages are the page's heading), or a part of one.
    fn is_page(self) -> bool {
        self != Part::LessonPageLoad
    }

    async fn load(self) -> Result<MakeView, ChunkError> {
        match self {
            Part::Home => load_home().await,
            Part::Lesson => load_lesson().await,
            Part::Timeline => load_timeline().await,
            Part::Pages => load_pages().await,
            Part::StatusCodes => load_status_codes().await,
            Part::Cookies => load_cookies().await,
            Part::LessonPageLoad => load_lesson_page_load().await,
        }
    }

    /// Fetches the part's file without building anything (on a deep link,
    /// while the painted page is still on screen).
    pub async fn preload(self) -> Result<(), ChunkError> {
        let loaded = match self {
            Part::Home => preload_home().await,
            Part::Lesson => preload_lesson().await,
            Part::Timeline => preload_timeline().await,
            Part::Pages => preload_pages().await,
            Part::StatusCodes => preload_status_codes().await,
            Part::Cookies => preload_cookies().await,
            Part::LessonPageLoad => preload_lesson_page_load().await,
        };
        loaded.map_err(|_| ChunkError)
    }
}

/// Loads a split point's builder under the component's `Tasks`: the
/// builder once its file is in, `None` until then; the second value asks
/// again (a failure is never cached, so this fetches afresh).
fn loading<M: Copy + Send + Sync + 'static, F: std::future::Future<Output = Result<M, ChunkError>> + 'static>(
    load: impl Fn() -> F + Copy + 'static,
) -> (RwSignal<Option<Result<M, ChunkError>>>, impl Fn() + Copy + 'static) {
    let state = RwSignal::new(None);
    let tasks = Tasks::new();
    let fetch = move || {
        state.set(None);
        tasks.spawn(async move {
            let loaded = load().await;
            state.set(Some(loaded));
        });
    };
    fetch();
    (state, fetch)
}

/// The message for a part whose file did not arrive, with its retry.
fn not_loaded(page: bool, retry: impl Fn() + Copy + 'static) -> AnyView {
    view! {
        <section class="card failure chunk-error" role="alert" data-testid="chunk-error">
            {if page {
                view! { <h1>"This page did not load"</h1> }.into_any()
            } else {
                view! { <h2>"This part of the page did not load"</h2> }.into_any()
            }}
            <p>
                "Its code did not arrive from the server: the connection may have dropped, or Roundtrip was "
                "updated since this tab opened. Nothing you did on other pages is lost."
            </p>
            <button type="button" data-testid="chunk-retry" on:click=move |_| retry()>
                "Try again"
            </button>
        </section>
    }
    .into_any()
}

/// A route whose code arrives on its first visit: the page once it is in,
/// "Loading" until then, and a message with a retry if it does not come.
#[component]
pub fn Lazy(part: Part) -> impl IntoView {
    let (state, fetch) = loading(move || part.load());
    let page = part.is_page();
    move || match state.get() {
        None => view! { <p class="chunk-loading" role="status">"Loading…"</p> }.into_any(),
        Some(Ok(make)) => make(),
        Some(Err(ChunkError)) => not_loaded(page, fetch),
    }
}

/// What the result of a request shows: an answer, a failure, two runs
/// compared, or a run recorded in someone else's browser.
// Built once per result and moved into its view: the variants' sizes cost
// nothing worth a Box (as home.rs's `Shown`).
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Outcome {
    Exchange(Exchange),
    Failure(Failure, Option<RequestSpec>),
    Twice { first: Exchange, second: Exchange, fresh_host: Option<Callback<()>> },
    Recorded { run: Snapshot, draft: Draft },
}

/// A result and the controls it shares with its page.
#[derive(Clone)]
pub struct Shown {
    pub outcome: Outcome,
    pub panel: Option<RwSignal<Panel>>,
    pub speed: Option<RwSignal<Speed>>,
}

impl Shown {
    pub fn of(outcome: Outcome) -> Shown {
        Shown { outcome, panel: None, speed: None }
    }
}

/// Builds a result's view; it lives in the results' own file.
pub type MakeResult = fn(Shown) -> AnyView;

fn make_result(shown: Shown) -> AnyView {
    use crate::components::{
        cold_warm::{ColdWarm, ColdWarmProps},
        exchange_view::{ExchangeView, ExchangeViewProps},
        failure_view::{FailureView, FailureViewProps},
        recorded_run::{RecordedRun, RecordedRunProps},
    };
    use leptos::component::component_view;
    let Shown { outcome, panel, speed } = shown;
    match outcome {
        Outcome::Exchange(exchange) => component_view(ExchangeView, ExchangeViewProps { exchange, panel, speed }).into_any(),
        Outcome::Failure(failure, request) => component_view(FailureView, FailureViewProps { failure, request, speed }).into_any(),
        Outcome::Twice { first, second, fresh_host } => component_view(ColdWarm, ColdWarmProps { first, second, fresh_host }).into_any(),
        Outcome::Recorded { run, draft } => component_view(RecordedRun, RecordedRunProps { run, draft }).into_any(),
    }
}

// The result views (the exchange, the journey and its sequence diagram, a
// failure, two runs compared, a recorded run): a page with a request bar is
// usable before they arrive, and a result needs them only once it is in.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(roundtrip_results, wasm_split_path = ::leptos::wasm_split, preload(preload_results), fallible)]
fn load_results() -> Result<MakeResult, ChunkError> {
    Ok(make_result)
}

#[cfg(not(feature = "split"))]
async fn load_results() -> Result<MakeResult, ChunkError> {
    Ok(make_result)
}

#[cfg(not(feature = "split"))]
async fn preload_results() -> Result<(), ChunkError> {
    Ok(())
}

/// Fetches the result views' file (a link carrying a recorded run shows
/// one at once).
pub async fn preload_result_views() -> Result<(), ChunkError> {
    preload_results().await.map_err(|_| ChunkError)
}

/// Fetches the result views' file in the background, once a page with a
/// request bar is up, so that the first result rarely waits for it.
pub fn prefetch_results() {
    Tasks::new().spawn(async {
        let _ = preload_results().await;
    });
}

/// A result, drawn once the result views' file is in.
#[component]
pub fn LazyResult(shown: Shown) -> impl IntoView {
    let (state, fetch) = loading(load_results);
    let shown = StoredValue::new(shown);
    move || match state.get() {
        None => view! { <p class="chunk-loading" role="status">"Loading the result's view…"</p> }.into_any(),
        Some(Ok(make)) => make(shown.get_value()),
        Some(Err(ChunkError)) => not_loaded(false, fetch),
    }
}
