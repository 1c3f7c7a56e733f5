use crate::web::fetch;
use crate::web::page;
use leptos::prelude::*;
use leptos_router::components::A;
use roundtrip_model::lessons::{Index, Progress, INDEX_LEAD, INDEX_TITLE};

/// The lesson index (`/lessons/index.json`), with the learner's progress
/// (kept in this browser).
#[component]
pub fn Lessons() -> impl IntoView {
    let index = RwSignal::new(fetch::cached_index().map(Ok::<_, String>));
    let attempt = RwSignal::new(0_u32);
    let tasks = crate::tasks::Tasks::new();
    Effect::new(move |_| {
        attempt.track();
        if fetch::cached_index().is_none() {
            tasks.spawn(async move { index.set(Some(fetch::lesson_index().await)) });
        }
    });
    view! {
        <h1 class="page-title">{INDEX_TITLE}</h1>
        <p class="lead">{INDEX_LEAD}</p>
        {move || match index.get() {
            None => view! { <p aria-busy="true" data-testid="lessons-loading">"Loading the lessons…"</p> }.into_any(),
            Some(Ok(index)) => view! { <Course index/> }.into_any(),
            Some(Err(why)) => view! {
                <section class="card failure" role="alert" data-testid="lessons-load-failed">
                    <h2>"The list of lessons could not be loaded"</h2>
                    <p>{format!("Roundtrip asked this server for /lessons/index.json: {why}.")}</p>
                    <button type="button" data-testid="lessons-retry" on:click=move |_| { index.set(None); attempt.update(|n| *n += 1) }>"Try again"</button>
                </section>
            }
            .into_any(),
        }}
    }
}

/// The course's lessons with the learner's progress, the lesson files a
/// teacher's folder had that could not be read, and the class box.
#[component]
fn Course(index: &'static Index) -> impl IntoView {
    let lessons = &index.lessons;
    let progress = RwSignal::new(crate::routes::lesson::stored_progress());
    // Classroom: the origins students can open, so a teacher can hand out
    // each lesson's link. None until (or unless) the lab answers.
    let class = RwSignal::new(None::<Vec<String>>);
    let origin = RwSignal::new(String::new());
    let tasks = crate::tasks::Tasks::new();
    tasks.spawn(async move {
        if let Ok(info) = crate::web::fetch::lab_class().await {
            let mut urls = Vec::new();
            // Reached over the network already (a name, or an address other
            // than this machine's own): this page's origin is a class link.
            let here = crate::web::window().location();
            let host = here.hostname().unwrap_or_default();
            let local = host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") || host == "[::1]";
            if !local {
                if let Ok(o) = here.origin() {
                    urls.push(o);
                }
            }
            for u in info.urls {
                if !urls.contains(&u) {
                    urls.push(u);
                }
            }
            origin.set(urls.first().cloned().unwrap_or_default());
            class.set(Some(urls));
        }
    });
    let items = lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let done = move || progress.with(|p| p.is_done(&l.slug));
            view! {
                <li class="lesson-item" class:done=done data-testid=format!("lesson-item-{}", l.slug)>
                    <A href=format!("/lesson/{}", l.slug)>{format!("{}. {}", i + 1, l.title)}</A>
                    <span class="lesson-state">{move || if done() { "✓ done" } else { "not done yet" }}</span>
                    <p class="lesson-summary">{l.summary.as_str()}</p>
                </li>
            }
        })
        .collect_view();
    let problems = (!index.problems.is_empty()).then(|| {
        view! {
            <section class="card failure" role="alert" data-testid="lesson-problems">
                <h2>"Lesson files left out"</h2>
                <p>"The lab could not read these lesson files; every other lesson is here. Mend the file and restart the lab."</p>
                <ul>{index.problems.iter().map(|p| view! { <li><code>{p.as_str()}</code></li> }).collect_view()}</ul>
            </section>
        }
    });
    view! {
        {problems}
        <p data-testid="progress" aria-live="polite">
            {move || format!("{} of {} lessons done", progress.with(|p| p.count_of(lessons)), lessons.len())}
            " (kept in this browser only) "
            <button type="button" class="plain" data-testid="reset-progress" on:click=move |_| {
                page::store(Progress::STORAGE_KEY, "");
                progress.set(Progress::default());
            }>"Start again"</button>
        </p>
        <ol class="lesson-list">{items}</ol>
        {move || class.get().map(|urls| if urls.is_empty() {
            view! {
                <p class="note" data-testid="class-note">
                    "Teaching a class? This lab listens on this machine only. Start it with "
                    <code>"--host 0.0.0.0"</code>
                    " and students on your network can open it: this page then shows each lesson's link for them."
                </p>
            }.into_any()
        } else {
            let several = urls.len() > 1;
            view! {
                <div class="card class-box" data-testid="class-box">
                    <h2>"Teaching a class"</h2>
                    <p>"Students on your network open " <code data-testid="class-origin">{move || format!("{}/lessons", origin.get())}</code>
                        " — or hand out a lesson's own link: it opens that lesson with its experiment ready."</p>
                    {several.then(|| view! {
                        <label>"This machine's address for the links "
                            <select data-testid="class-origins" on:change=move |ev| origin.set(event_target_value(&ev))>
                                {urls.iter().map(|u| view! { <option value=u.clone()>{u.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    })}
                    <ol class="class-links">
                        {lessons.iter().map(|l| view! {
                            <li>{l.title.as_str()} <code data-testid="class-link">{move || format!("{}/lesson/{}", origin.get(), l.slug)}</code></li>
                        }).collect_view()}
                    </ol>
                </div>
            }.into_any()
        })}
    }
}
