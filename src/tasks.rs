//! Async work that belongs to the page (component) that started it.
//!
//! A task spawned here is cancelled when its component goes away: leaving a
//! page mid-request drops the task at its next await (and dropping a request
//! aborts it, see `web::fetch`), so a late result never touches a page's
//! disposed signals. The release build aborts on panic, which would kill the
//! app for the rest of the tab's life.
//!
//! The owner is the component's, captured when it is built, not the one
//! current in an event handler: a button inside a reactive block has a
//! child owner that is replaced whenever the block re-renders, which would
//! cancel the work it started too early.

use leptos::prelude::*;
use std::future::Future;

/// The owner of the component that created it. `Copy`, for handlers.
#[derive(Clone, Copy)]
pub struct Tasks(StoredValue<Option<Owner>>);

impl Tasks {
    /// Call in a component's body (not in a handler): the tasks it spawns
    /// live as long as that component.
    pub fn new() -> Tasks {
        Tasks(StoredValue::new(Owner::current()))
    }

    /// Runs `work` until it ends or the component goes away, whichever is
    /// first. Once the component is gone, nothing is started.
    pub fn spawn(self, work: impl Future<Output = ()> + 'static) {
        if let Some(Some(owner)) = self.0.try_get_value() {
            owner.with(|| leptos::task::spawn_local_scoped_with_cancellation(work));
        }
    }
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks::new()
    }
}
