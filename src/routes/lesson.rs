use crate::components::cookie_stepper::CookieStepper;
use crate::components::eavesdropper::Eavesdropper;
use crate::components::later::Later;
use crate::components::request_bar::{Draft, LinkNote, RequestBar};
use crate::components::sort_tasks::SortTasks;
use crate::components::url_anatomy::UrlAnatomy;
use crate::split::{LazyResult, Outcome, Shown as Showing};
use crate::web::fetch::{self, LessonLoad};
use crate::web::page;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use roundtrip_model::exchange::{Exchange, RequestSpec, DEFAULT_TIMEOUT_MS};
use roundtrip_model::failure::Failure;
use roundtrip_model::journey::Speed;
use roundtrip_model::lessons::{safe_href, Block, Inline, Kind, Lesson, On, Progress};
use roundtrip_model::link::{decode, Experiment, Panel};
use roundtrip_model::snapshot::Snapshot;

/// `/lesson/{slug}`: one lesson (fetched as `/lessons/{slug}.json`), or a
/// way back to the list when the slug is unknown, or the reason it could
/// not be loaded with a way to try again.
#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    // What was fetched, for which slug (a late answer for another is ignored).
    let loaded = RwSignal::new(None::<(String, Result<&'static roundtrip_model::lessons::LessonPage, LessonLoad>)>);
    let attempt = RwSignal::new(0_u32);
    let tasks = crate::tasks::Tasks::new();
    Effect::new(move |_| {
        let wanted = slug.get();
        attempt.track();
        if fetch::cached_lesson(&wanted).is_some() {
            return;
        }
        tasks.spawn(async move {
            let result = fetch::lesson(&wanted).await;
            // A late answer for a lesson the learner has left is not shown.
            if slug.get_untracked() == wanted {
                loaded.set(Some((wanted, result)));
            }
        });
    });
    move || {
        let slug = slug.get();
        let result = match fetch::cached_lesson(&slug) {
            Some(page) => Some(Ok(page)),
            None => loaded.with(|l| l.as_ref().filter(|(s, _)| *s == slug).map(|(_, r)| r.clone())),
        };
        match result {
            Some(Ok(page)) => view! { <LessonView page/> }.into_any(),
            None => view! {
                <article class="lesson" aria-busy="true" data-testid="lesson-loading">
                    <p class="crumbs"><A href="/lessons">"All lessons"</A></p>
                    <h1 class="page-title">"Loading the lesson…"</h1>
                </article>
            }
            .into_any(),
            Some(Err(LessonLoad::Missing)) => view! {
                <section class="card not-found" data-testid="unknown-lesson">
                    <h1>"No such lesson"</h1>
                    <p>"There is no lesson called " <code>{slug}</code> ". The link may be mistyped."</p>
                    <p><A href="/lessons">"See all the lessons"</A></p>
                </section>
            }
            .into_any(),
            Some(Err(LessonLoad::Failed(why))) => view! {
                <section class="card failure" role="alert" data-testid="lesson-load-failed">
                    <h1>"This lesson could not be loaded"</h1>
                    <p>{format!("Roundtrip asked this server for the lesson “{slug}”, and {why}.")}</p>
                    <p>
                        <button type="button" data-testid="lesson-retry" on:click=move |_| {
                            loaded.set(None);
                            attempt.update(|n| *n += 1);
                        }>"Try again"</button>
                        " or " <A href="/lessons">"see all the lessons"</A>
                    </p>
                </section>
            }
            .into_any(),
        }
    }
}

/// The state a share link carries, shared by the lesson's panels.
#[derive(Clone, Copy)]
struct LinkState {
    draft: Draft,
    speed: RwSignal<Speed>,
    panel: RwSignal<Panel>,
}

impl LinkState {
    fn experiment(&self) -> Experiment {
        Experiment {
            method: self.draft.method.get(),
            url: self.draft.url.get(),
            headers: self.draft.headers.get(),
            body: self.draft.body.get(),
            timeout_ms: self.draft.timeout_ms.get().trim().parse().unwrap_or(DEFAULT_TIMEOUT_MS),
            speed: self.speed.get(),
            panel: self.panel.get(),
        }
    }
}

#[component]
fn LessonView(
    /// The lesson shown, with its place in the course.
    page: &'static roundtrip_model::lessons::LessonPage,
) -> impl IntoView {
    let lesson = &page.lesson;
    page::set_title_and_description(&page.page_title(), &lesson.summary);
    on_cleanup(|| page::set_title_and_description(crate::app::TITLE, crate::app::DESCRIPTION));
    let default = lesson.default_experiment();
    // The router's location, not window.location (see the workbench).
    let mut decoded = decode(&leptos_router::hooks::use_location().search.get_untracked(), &default);
    let carries_request = matches!(lesson.kind, Kind::Request | Kind::Https);
    // A measured run in the fragment, when the sender included one.
    let fragment = page::fragment();
    let recorded = (carries_request && fragment.contains("run=")).then(|| Snapshot::decode(&fragment)).and_then(|r| match r {
        Ok(run) => Some(run),
        Err(why) => {
            decoded.problems.push(format!("The recorded run in this link was not used: {why}. The lesson works without it."));
            None
        }
    });
    let last_run = RwSignal::new(None::<Snapshot>);
    let state = LinkState {
        draft: Draft::from_experiment(&decoded.experiment),
        speed: RwSignal::new(decoded.experiment.speed),
        panel: RwSignal::new(decoded.experiment.panel),
    };
    // The address bar always holds the link to what is on screen: empty when
    // it is the lesson's own experiment, the fields otherwise.
    let query = Memo::new(move |_| {
        let e = state.experiment();
        if !carries_request || e == default {
            String::new()
        } else {
            e.encode()
        }
    });
    // Through the router, not `history.replaceState` behind its back: the
    // router keeps a record of the addresses it pushed, to tell Back from a
    // new visit. An address it never saw there made it take the next link
    // to a page in that record for the page already shown: it pushed
    // nothing, the address kept this lesson's, and Back left the app.
    // While the router is still moving here from another lesson (Next
    // into one already loaded), the address bar is the last lesson's: this
    // one's first run would replace that entry. The router writes this
    // lesson's address itself, so the effect waits for the address bar to
    // be this lesson's. Of a fragment only a recorded run is kept: another
    // (`#try-it`) would scroll the page at every key.
    let navigate = use_navigate();
    let own = format!("/lesson/{}", lesson.slug);
    Effect::new(move |_| {
        let q = query.get();
        if page::path() != own {
            return;
        }
        let wanted = if q.is_empty() { own.clone() } else { format!("{own}?{q}") };
        if page::path_and_query() != wanted {
            let hash = page::fragment();
            let hash = if hash.starts_with("#run=") { hash } else { String::new() };
            let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
            navigate(&format!("{wanted}{hash}"), options);
        }
    });

    let progress = RwSignal::new(stored_progress());
    let mark_done = Callback::new(move |()| {
        let mut p = stored_progress();
        if p.mark(&lesson.slug) {
            page::store(Progress::STORAGE_KEY, &p.to_stored());
        }
        progress.set(p);
    });
    let problems = (!decoded.problems.is_empty()).then(|| {
        view! {
            <section class="card failure" role="alert" data-testid="link-problems">
                <h2>"This link could not be opened exactly as sent"</h2>
                <ul>{decoded.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </section>
        }
    });
    if carries_request {
        crate::split::prefetch_results();
    }
    let experiment = move || match lesson.kind {
        Kind::Request => view! { <RequestExperiment lesson state on_result=mark_done last_run/> }.into_any(),
        Kind::Https => view! {
            <Eavesdropper draft=state.draft/>
            <RequestExperiment lesson state on_result=mark_done last_run/>
        }
        .into_any(),
        Kind::Sort => view! { <SortTasks on_checked=mark_done/> }.into_any(),
        Kind::Cookies => view! { <CookieStepper on_done=mark_done/> }.into_any(),
        // Its code comes with `/pages`' file (src/split.rs).
        Kind::PageLoad => view! { <crate::split::Lazy part=crate::split::Part::LessonPageLoad/> }.into_any(),
    };
    let number = page.number;
    view! {
        <article class="lesson" data-testid="lesson" data-slug=lesson.slug.clone()>
            <p class="crumbs"><A href="/lessons">"All lessons"</A> {format!(" · Lesson {number} of {}", page.count)}</p>
            <h1 class="page-title">{format!("{number}. {}", lesson.title)}</h1>
            {problems}
            {(lesson.kind != Kind::Sort).then(|| view! { <crate::lab_status::NoLabNotice needs="This lesson's experiment"/> })}
            <Later><div class="lesson-text">{lesson.text.iter().map(block).collect_view()}</div></Later>
            {recorded.map(|run| view! { <LazyResult shown=Showing::of(Outcome::Recorded { run, draft: state.draft })/> })}
            // The first render in several tasks (components::later).
            <Later>
            <section class="card experiment" aria-labelledby="try-it">
                <h2 id="try-it">"Try it"</h2>
                <p>{lesson.task.as_str()}</p>
                {experiment()}
            </section>
            <Later>
            <ShareLink query last_run offer_run=carries_request/>
            <section class="card checks" aria-labelledby="check-yourself">
                <h2 id="check-yourself">"Check yourself"</h2>
                {lesson.checks.iter().map(|c| view! {
                    <details class="check" data-testid="check">
                        <summary>{c.question.as_str()} " " <span class="reveal">"Show the answer"</span></summary>
                        <p>{c.answer.as_str()}</p>
                    </details>
                }).collect_view()}
            </section>
            <p class="done-line">
                {move || if progress.with(|p| p.is_done(&lesson.slug)) {
                    view! { <span class="done" data-testid="lesson-done">"✓ Done: this lesson counts as done in your progress."</span> }.into_any()
                } else {
                    view! { <button type="button" data-testid="mark-done" on:click=move |_| mark_done.run(())>"Mark this lesson as done"</button> }.into_any()
                }}
            </p>
            <nav class="prev-next" aria-label="Previous and next lesson">
                {page.previous.as_ref().map(|l| view! { <A href=format!("/lesson/{}", l.slug) attr:rel="prev" attr:data-testid="prev">"← " {l.title.as_str()}</A> })}
                {page.next.as_ref().map(|l| view! { <A href=format!("/lesson/{}", l.slug) attr:rel="next" attr:data-testid="next">{l.title.as_str()} " →"</A> })}
            </nav>
            </Later>
            </Later>
        </article>
    }
}

/// The learner's progress as this browser keeps it (re-read each time: another
/// tab may have changed it).
pub fn stored_progress() -> Progress {
    Progress::parse(&page::stored(Progress::STORAGE_KEY))
}

fn block(b: &'static Block) -> AnyView {
    match b {
        Block::Para(r) => view! { <p>{runs(r)}</p> }.into_any(),
        Block::List(items) => view! { <ul>{items.iter().map(|i| view! { <li>{runs(i)}</li> }).collect_view()}</ul> }.into_any(),
        Block::Steps(items) => {
            view! { <ol class="lesson-steps">{items.iter().map(|i| view! { <li>{runs(i)}</li> }).collect_view()}</ol> }.into_any()
        }
        Block::Table { head, rows } => view! {
            <div class="table-scroll">
                <table class="lesson-table">
                    <thead><tr>{head.iter().map(|h| view! { <th scope="col">{runs(h)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.iter().map(|r| view! {
                            <tr>{r.iter().enumerate().map(|(i, c)| if i == 0 {
                                view! { <th scope="row">{runs(c)}</th> }.into_any()
                            } else {
                                view! { <td>{runs(c)}</td> }.into_any()
                            }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
        Block::Code(text) => view! { <pre class="lesson-code"><code>{text.as_str()}</code></pre> }.into_any(),
    }
}

/// A lesson's formatted text, built as elements with text in them (a
/// lesson never carries HTML; links were checked when the file was read).
fn runs(r: &'static [Inline]) -> AnyView {
    r.iter()
        .map(|run| match run {
            Inline::Text(t) => t.as_str().into_any(),
            Inline::Code(t) => view! { <code>{t.as_str()}</code> }.into_any(),
            Inline::Em(inner) => view! { <em>{runs(inner)}</em> }.into_any(),
            Inline::Strong(inner) => view! { <strong>{runs(inner)}</strong> }.into_any(),
            // Checked when the file was read; checked again here, as the JSON
            // may come from any static host.
            Inline::Link { text, href } if !safe_href(href) => runs(text),
            Inline::Link { href, text } if href.starts_with('/') || href.starts_with('#') => {
                view! { <a href=href.as_str()>{runs(text)}</a> }.into_any()
            }
            Inline::Link { href, text } => view! { <a href=href.as_str() rel="noopener noreferrer">{runs(text)}</a> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// The request bar with the lesson's ready-made tries, and the result on the
/// panel the link chose.
#[component]
fn RequestExperiment(
    /// The lesson whose tries are offered.
    lesson: &'static Lesson,
    /// The link's state: the request, the speed, the panel.
    state: LinkState,
    /// Called whenever a result (or a failure) is shown.
    on_result: Callback<()>,
    /// The last response measured here, for a share link that carries it.
    last_run: RwSignal<Option<Snapshot>>,
) -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let shown = RwSignal::new(None::<(Option<RequestSpec>, Result<Exchange, Failure>)>);
    let pending = RwSignal::new(false);
    let expect = RwSignal::new(None::<&'static str>);
    let notice = RwSignal::new(None::<String>);
    let recorder = expect_context::<crate::recorder::Recorder>();
    let outcome = NodeRef::<leptos::html::Div>::new();
    let reveal = move || {
        if let Some(el) = outcome.get_untracked() {
            crate::web::page::reveal(el.into());
        }
    };
    let send = Callback::new(move |()| {
        let spec = match state.draft.to_spec() {
            Ok(spec) => spec,
            Err(failure) => {
                shown.set(Some((None, Err(failure))));
                reveal();
                return on_result.run(());
            }
        };
        pending.set(true);
        tasks.spawn(async move {
            let result = recorder.send(spec.clone()).await;
            if let Ok(exchange) = &result {
                last_run.set(Some(Snapshot::of(exchange)));
            }
            shown.set(Some((Some(spec), result)));
            pending.set(false);
            reveal();
            on_result.run(());
        });
    });
    let https = StoredValue::new(None::<roundtrip_model::lab::HttpsInfo>);
    let tries = lesson
        .tries
        .iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                // Busy while a request is under way, but never disabled: a
                // disabled button drops the keyboard focus of whoever pressed it.
                <button type="button" class="try" data-testid=format!("try-{i}") aria-disabled=move || pending.get().to_string() on:click=move |_| {
                    if pending.get_untracked() {
                        return;
                    }
                    let mut experiment = t.experiment(state.speed.get_untracked(), state.panel.get_untracked());
                    expect.set(Some(t.expect.as_str()));
                    notice.set(None);
                    if t.on == On::ThisPage {
                        state.draft.load(&experiment);
                        send.run(());
                        return;
                    }
                    // The lab's HTTPS listener: its address comes from the lab,
                    // asked once per visit (busy meanwhile, as while sending).
                    let mut go = move |info: roundtrip_model::lab::HttpsInfo| {
                        let origin = if t.on == On::LabHttp11 { info.http11.unwrap_or(info.h2) } else { info.h2 };
                        experiment.url = format!("{origin}{}", experiment.url);
                        state.draft.load(&experiment);
                        send.run(());
                    };
                    if let Some(info) = https.get_value() {
                        go(info);
                        return;
                    }
                    pending.set(true);
                    tasks.spawn(async move {
                        let info = crate::web::fetch::lab_https().await;
                        pending.set(false);
                        match info {
                            Ok(info) => {
                                https.set_value(Some(info.clone()));
                                go(info);
                            }
                            Err(why) => notice.set(Some(format!("This try needs the lab over HTTPS: {why}."))),
                        }
                    });
                }>{t.label.as_str()}</button>
            }
        })
        .collect_view();
    view! {
        <div class="tries" role="group" aria-label="Ready-made requests">{tries}</div>
        {move || notice.get().map(|n| view! { <p class="note" role="status" data-testid="try-notice">{n}</p> })}
        <RequestBar draft=state.draft pending on_send=send/>
        <Later>
        <LinkNote draft=state.draft/>
        <UrlAnatomy url=state.draft.url/>
        <div class="outcome" aria-live="polite" aria-busy=move || pending.get().to_string() node_ref=outcome data-testid="outcome">
            {move || expect.get().map(|e| view! { <p class="expect" data-testid="expect"><strong>"What to look for: "</strong>{e}</p> })}
            {move || match shown.get() {
                None => view! { <p class="hint">"Press one of the buttons above, or compose your own request and press Send."</p> }.into_any(),
                Some((request, result)) => {
                    let outcome = match result {
                        Ok(exchange) => Outcome::Exchange(exchange),
                        Err(failure) => Outcome::Failure(failure, request),
                    };
                    let shown = Showing { outcome, panel: Some(state.panel), speed: Some(state.speed) };
                    view! { <LazyResult shown/> }.into_any()
                }
            }}
        </div>
        </Later>
    }
}

/// The link to this lesson as it is on screen, to copy and send.
#[component]
fn ShareLink(
    /// The query that restores the experiment ("" for the lesson's own).
    query: Memo<String>,
    /// The last run measured here, which the link may carry.
    last_run: RwSignal<Option<Snapshot>>,
    /// Whether this lesson's runs can be shared (it sends requests).
    offer_run: bool,
) -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let include_run = RwSignal::new(false);
    let link = move || {
        let q = query.get();
        let path = page::address_without_query();
        let base = if q.is_empty() { path } else { format!("{path}?{q}") };
        match last_run.get().filter(|_| include_run.get()) {
            Some(run) => format!("{base}#run={}", run.encode()),
            None => base,
        }
    };
    let said = RwSignal::new(None::<String>);
    let copy = move |_| {
        let text = link();
        tasks.spawn(async move {
            said.set(Some(match page::copy_text(&text).await {
                Ok(()) if text.contains("left_out=") => {
                    "Copied. Whoever opens it lands in this lesson, with this experiment ready to run, except what is too long for a link (the note under the request says what), and is told so.".into()
                }
                Ok(()) => "Copied. Whoever opens it lands in this lesson, with this experiment ready to run.".into(),
                Err(why) => format!("The browser did not allow copying ({why}): select the link above and copy it."),
            }));
        });
    };
    view! {
        <section class="card share" aria-labelledby="share-h">
            <h2 id="share-h">"Share this lesson"</h2>
            <label class="visually-hidden" for="share-link">"Link to this lesson and experiment"</label>
            <input id="share-link" type="text" readonly data-testid="share-link" prop:value=link
                on:focus=move |ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); }
            />
            {(offer_run).then(|| view! {
                <label class="chip">
                    <input type="checkbox" data-testid="include-run" disabled=move || last_run.with(Option::is_none)
                        prop:checked=move || include_run.get() on:change=move |_| include_run.update(|v| *v = !*v)/>
                    "Include my last measured run (in the link's #fragment: it never reaches a server)"
                </label>
            })}
            <button type="button" data-testid="copy-link" on:click=copy>"Copy link"</button>
            <p class="note" aria-live="polite" data-testid="copy-status">{move || said.get()}</p>
        </section>
    }
}
