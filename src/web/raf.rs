//! A requestAnimationFrame loop for animations that follow a clock.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs `frame(now_ms)` on every animation frame until stopped. The handle
/// is `Send`, so a component can stop the loop from its cleanup.
#[derive(Clone)]
pub struct Raf {
    running: Arc<AtomicBool>,
}

/// The frame callback, shared with itself so that it can ask for the next frame.
type Slot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

impl Raf {
    pub fn start(mut frame: impl FnMut(f64) + 'static) -> Raf {
        let running = Arc::new(AtomicBool::new(true));
        let slot: Slot = Rc::new(RefCell::new(None));
        let again = slot.clone();
        let alive = running.clone();
        *slot.borrow_mut() = Some(Closure::new(move |now: f64| {
            if !alive.load(Ordering::Relaxed) {
                // Drop the closure: breaks the cycle so it is freed.
                again.borrow_mut().take();
                return;
            }
            frame(now);
            if let Some(cb) = again.borrow().as_ref() {
                let _ = super::window().request_animation_frame(cb.as_ref().unchecked_ref());
            }
        }));
        if let Some(cb) = slot.borrow().as_ref() {
            let _ = super::window().request_animation_frame(cb.as_ref().unchecked_ref());
        }
        Raf { running }
    }

    pub fn stop(&self) {
        self.running.store(false, Ordering::Relaxed);
    }
}

/// Whether the person asked their system for less motion.
pub fn prefers_reduced_motion() -> bool {
    super::window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches())
}

/// Calls `then` once, the first time at least `fraction` of `el` is on
/// screen (an IntersectionObserver); dropping the handle stops watching.
pub struct OnceVisible {
    observer: web_sys::IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>,
}

impl OnceVisible {
    pub fn watch(el: &web_sys::Element, fraction: f64, then: impl FnOnce() + 'static) -> Option<OnceVisible> {
        let mut then = Some(then);
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let seen = entries.iter().any(|e| {
                    let e: web_sys::IntersectionObserverEntry = e.unchecked_into();
                    e.is_intersecting() && e.intersection_ratio() >= fraction - 1e-6
                });
                if seen {
                    observer.disconnect();
                    if let Some(then) = then.take() {
                        then();
                    }
                }
            },
        );
        let init = web_sys::IntersectionObserverInit::new();
        init.set_threshold(&JsValue::from(fraction));
        let observer = web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init).ok()?;
        observer.observe(el);
        Some(OnceVisible { observer, _callback: callback })
    }
}

impl Drop for OnceVisible {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
