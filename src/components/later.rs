//! The first render, built out of sight in several short tasks.
//!
//! Leptos builds a page in one go. On a phone (CPU 4× slower) a lesson's
//! first render was one task of about half a second, most of it the browser
//! compiling each wasm function the first time it runs; a tap in that time
//! waited for all of it, and Lighthouse counts it as blocking time.
//!
//! So the app mounts hidden, behind the page the lab painted (index.html's
//! shell, which already shows the same words): the page's parts wrapped in
//! `Later` are built one timer each after the rest, each in its own task.
//! Once every part is built, `start` (src/lib.rs) shows the app in the
//! shell's place in one task: nothing half-built is ever on screen, and no
//! layout is done until then. The app counts as interactive
//! (`roundtrip:interactive`, which `cargo xtask bench` reads) at that moment.
//!
//! After that first render `Later` builds at once: a page the learner moves
//! to is built as before.

use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

thread_local! {
    /// Parts created and neither built nor dropped yet.
    static WAITING: Cell<u32> = const { Cell::new(0) };
    /// The app's first render has run (its effects with it).
    static RENDERED: Cell<bool> = const { Cell::new(false) };
    /// What to do once everything is built; taken when it runs.
    static ON_SETTLED: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
    static SETTLED: Cell<bool> = const { Cell::new(false) };
}

/// Its children: in a task of their own during the app's first render
/// (one timer after the rest), at once after it.
#[component]
pub fn Later(children: Children) -> impl IntoView {
    let mut children = Some(children);
    if SETTLED.with(Cell::get) {
        return children.take().map(|c| c()).into_any();
    }
    WAITING.with(|w| w.set(w.get() + 1));
    let counted = Arc::new(AtomicBool::new(false));
    let ready = RwSignal::new(false);
    // A timer of its own, not `Tasks`: it must fire even if no owner is
    // current, or the app would stay hidden. A part dropped first (the
    // page changed) is settled by its cleanup, and the signal is gone then.
    set_timeout(
        move || {
            let _ = ready.try_set(true);
        },
        Duration::ZERO,
    );
    let on_leave = counted.clone();
    on_cleanup(move || settle(&on_leave));
    (move || {
        if !ready.get() {
            return None;
        }
        // Built before this part counts as done, so a `Later` inside it is
        // counted first. The components' bodies run untracked; a child that
        // read a signal while its DOM is built would re-run this block,
        // which has nothing left to build: said, not hidden.
        if children.is_none() {
            leptos::logging::error!("Roundtrip: a part of the page was rebuilt and lost (components::later)");
        }
        let built = untrack(|| children.take().map(|c| c()));
        settle(&counted);
        built
    })
    .into_any()
}

fn settle(counted: &AtomicBool) {
    if !counted.swap(true, Ordering::Relaxed) {
        WAITING.with(|w| w.set(w.get().saturating_sub(1)));
        run_if_settled();
    }
}

/// Runs `then` once the first render is done and every `Later` part of it
/// is built. Called by `start` before it mounts.
pub fn when_settled(then: impl FnOnce() + 'static) {
    if SETTLED.with(Cell::get) {
        return then();
    }
    ON_SETTLED.with(|s| *s.borrow_mut() = Some(Box::new(then)));
}

/// Called by an effect of `App`, once it has rendered. The router renders
/// the page itself a few microtasks later, so the first render counts as
/// done one timer after this: by then every `Later` of the page has been
/// created, and counted.
pub fn app_rendered() {
    set_timeout(
        || {
            RENDERED.with(|r| r.set(true));
            run_if_settled();
        },
        Duration::ZERO,
    );
}

/// True while the first render is still being built out of sight.
pub fn settling() -> bool {
    !SETTLED.with(Cell::get)
}

/// Shows the app now, whatever is still waiting (the safety net of `start`).
pub fn settle_now() {
    if !SETTLED.with(|s| s.replace(true)) {
        if let Some(then) = ON_SETTLED.with(|s| s.borrow_mut().take()) {
            then();
        }
    }
}

fn all_built() -> bool {
    RENDERED.with(Cell::get) && WAITING.with(Cell::get) == 0
}

fn run_if_settled() {
    if all_built() {
        // After the timer's own task has built the part: a microtask, so
        // the part's effects have run and the page shows all of it. Asked
        // again then: a page changed meanwhile (a link clicked while the
        // app was hidden) may have new parts waiting.
        leptos::task::spawn_local(async {
            if all_built() {
                settle_now();
            }
        });
    }
}
