use crate::web::page;
use leptos::prelude::*;
use leptos_router::components::A;
use roundtrip_model::lessons::{Progress, LESSONS};

/// The lesson index, with the learner's progress (kept in this browser).
#[component]
pub fn Lessons() -> impl IntoView {
    let progress = RwSignal::new(crate::routes::lesson::stored_progress());
    let items = LESSONS
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let done = move || progress.with(|p| p.is_done(l.slug));
            view! {
                <li class="lesson-item" class:done=done data-testid=format!("lesson-item-{}", l.slug)>
                    <A href=format!("/lesson/{}", l.slug)>{format!("{}. {}", i + 1, l.title)}</A>
                    <span class="lesson-state">{move || if done() { "✓ done" } else { "not done yet" }}</span>
                    <p class="lesson-summary">{l.summary}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1 class="page-title">"Lessons: how browsers talk to servers"</h1>
        <p class="lead">
            "Fourteen short lessons, each with a live experiment that sends real requests. "
            "Every lesson is a link: send it to someone and they land in the same lesson, with the same experiment ready."
        </p>
        <p data-testid="progress" aria-live="polite">
            {move || format!("{} of {} lessons done", progress.with(Progress::count), LESSONS.len())}
            " (kept in this browser only) "
            <button type="button" class="plain" data-testid="reset-progress" on:click=move |_| {
                page::store(Progress::STORAGE_KEY, "");
                progress.set(Progress::default());
            }>"Start again"</button>
        </p>
        <ol class="lesson-list">{items}</ol>
    }
}
