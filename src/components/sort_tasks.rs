use leptos::prelude::*;
use roundtrip_model::lessons::{sort_score, Side, SORT_TASKS};

/// Lesson 8's exercise: put each task on the browser's or the server's side,
/// then check.
#[component]
pub fn SortTasks(
    /// Called when the learner checks their answers.
    on_checked: Callback<()>,
) -> impl IntoView {
    let answers = RwSignal::new(vec![None::<Side>; SORT_TASKS.len()]);
    let checked = RwSignal::new(false);
    let rows = SORT_TASKS
        .iter()
        .enumerate()
        .map(|(i, (task, right, why))| {
            let choice = move |side: Side| {
                let name = format!("task-{i}");
                let testid = format!("sort-{i}-{}", if side == Side::Browser { "browser" } else { "server" });
                view! {
                    <label class="chip">
                        <input
                            type="radio"
                            name=name
                            data-testid=testid
                            prop:checked=move || answers.with(|a| a[i] == Some(side))
                            on:change=move |_| {
                                answers.update(|a| a[i] = Some(side));
                                checked.set(false);
                            }
                        />
                        {side.label()}
                    </label>
                }
            };
            let verdict = move || {
                checked.get().then(|| {
                    let answer = answers.with(|a| a[i]);
                    // An unsorted task keeps its answer: checking must not give it away.
                    let (class, text) = match answer {
                        Some(a) if a == *right => ("right", format!("✓ Right. {}: {why}", right.label())),
                        Some(_) => ("wrong", format!("✗ Not quite. {}: {why}", right.label())),
                        None => ("unsorted", "Not sorted yet: choose a side, then check again.".to_owned()),
                    };
                    view! { <p class=format!("verdict {class}") data-testid=format!("sort-verdict-{i}")>{text}</p> }
                })
            };
            view! {
                <fieldset class="sort-task">
                    <legend>{*task}</legend>
                    {choice(Side::Browser)}
                    {choice(Side::Server)}
                    {verdict}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div class="sort" data-testid="sort">
            {rows}
            <button type="button" class="send" data-testid="sort-check" on:click=move |_| {
                checked.set(true);
                on_checked.run(());
            }>"Check"</button>
            <p aria-live="polite" data-testid="sort-score">
                {move || checked.get().then(|| format!("{} of {} right.", answers.with(|a| sort_score(a)), SORT_TASKS.len()))}
            </p>
        </div>
    }
}
